"""How API routes are declared: the blueprint every resource uses, and ids in URLs.

Both exist so that what a route can answer is what the OpenAPI document says it answers
(tests/test_api_fuzz.py holds the API to that).
"""

import flask_smorest
from werkzeug.routing import BaseConverter

from .doc import error_response_doc

# Ids are 32-bit integer columns.
MAX_ID = 2_147_483_647
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
        if len(value) > len(str(MAX_ID)):
            return 0  # also spares int() a number of thousands of digits
        number = int(value)
        return number if number <= MAX_ID else 0

    def to_url(self, value) -> str:
        return str(int(value))

    @staticmethod
    def openapi_schema(_converter) -> dict:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, documenting on every route the errors it answers for
    all of them: 415 for a POST, PUT or PATCH, 400 for a JSON body that does not parse."""

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
