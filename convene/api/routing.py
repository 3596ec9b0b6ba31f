"""How API routes are declared: the blueprint every resource uses, and ids in URLs.

Both exist so that what a route can answer is what the OpenAPI document says it answers
(tests/test_api_fuzz.py holds the API to that).
"""

from collections.abc import Callable

import flask_smorest
import marshmallow as ma
from werkzeug.routing import BaseConverter

from ..caching import cached_page
from ..models.base import MAX_ID, parse_id
from .common import token_required
from .doc import USUAL_ERRORS, error_response_doc

BODY_METHODS = {"POST", "PUT", "PATCH"}
# `refuse_non_json_body` (common.py) answers 415 to any of them sent with another body.
UNSUPPORTED_MEDIA_TYPE_DOC = error_response_doc(415, "The body is not JSON")
# flask-smorest parses a JSON body before the view and answers 400 when it is not JSON.
BAD_REQUEST_DOC = error_response_doc(400, "The body is not valid JSON")


class RowId(BaseConverter):
    """A row's id in a URL, as `<id:event_id>` (api/__init__.py registers it as "id"):
    any run of digits, read as a number.

    A number no row can have (0, or past the 32-bit columns) becomes 0, so the view
    answers "not found". Refusing it here instead, as `int(min=1)` does, made werkzeug
    answer 405 to PATCH /events/0 (it checks the method before the converter's range)
    while GET /events/0 was a 404.
    """

    regex = r"\d+"
    weight = 50  # as werkzeug's int

    def to_python(self, value: str) -> int:
        return parse_id(value) or 0

    def to_url(self, value) -> str:
        return str(int(value))

    @staticmethod
    def openapi_schema(_converter) -> dict:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, documenting on every route the errors it answers for
    all of them: 415 for a POST, PUT or PATCH, 400 for a JSON body that does not parse.

    `blp.errors`: what the resource's error answers mean where doc.USUAL_ERRORS does not
    say it well enough, set by its module before its views. `@blp.operation(…)` under
    `@blp.route` stands for the decorators most operations need; `@blp.documented(404,
    422)` documents the errors of one that spells them out.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.errors: dict[int, dict] = {}

    def documented(self, *statuses: int) -> Callable:
        """The operation's error answers, as `errors` or else doc.USUAL_ERRORS describe them."""
        described = {**USUAL_ERRORS, **self.errors}

        def decorate(view: Callable) -> Callable:
            for status in statuses:
                view = self.alt_response(status, **described[status])(view)
            return view

        return decorate

    def operation(
        self,
        *,
        token: bool = False,
        cached: bool = False,
        body: type[ma.Schema] | None = None,
        query: type[ma.Schema] | None = None,
        answer: type[ma.Schema] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
    ) -> Callable:
        """The usual decorators of an operation, for right under `@blp.route`, outermost
        first: `token_required` (a call without a token is refused before its arguments
        are read) or `cached_page`; the JSON `body` or the `query` arguments; the `status`
        answer (with the `answer` schema, none for a 204); the `errors` it documents."""

        def declare(view: Callable) -> Callable:
            view = self.documented(*errors)(view)
            view = self.response(status, answer)(view) if answer else self.response(status)(view)
            if query is not None:
                view = self.arguments(query, location="query")(view)
            if body is not None:
                view = self.arguments(body)(view)
            if token:
                view = token_required(view)
            return cached_page(view) if cached else view

        return declare

    def route(self, rule, *, parameters=None, tags=None, **options):
        register = super().route(rule, parameters=parameters, tags=tags, **options)
        if not {method.upper() for method in options.get("methods", ())} & BODY_METHODS:
            return register
        documented = self.doc(responses={"415": UNSUPPORTED_MEDIA_TYPE_DOC})
        return lambda view: register(documented(view))

    def arguments(self, schema, *, location="json", **kwargs):
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        documented = self.doc(responses={"400": BAD_REQUEST_DOC})
        return lambda view: documented(parse(view))
