"""The JSON API under /api/v1, documented by the OpenAPI document it generates.

flask-smorest builds the document from the same marshmallow schemas that parse requests
and shape responses, so the document cannot drift from the code.
"""

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf, rest_api
from . import (
    events,
    followup,
    members,
    personal_data,
    proposals,
    registrations,
    sessions,
    themes,
    tokens,
)
from .common import challenge_on_401, keep_token_use, refuse_non_json_body
from .doc import ErrorSchema
from .routing import RowId

BLUEPRINTS = (
    tokens.blp,
    themes.blp,
    members.blp,
    proposals.blp,
    events.blp,
    registrations.blp,
    sessions.blp,
    followup.blp,
    personal_data.blp,
)

DESCRIPTION = """\
The partnership's thematic events for programs.

**Authentication**: `POST /api/v1/tokens` with `{"email", "password"}` answers a token;
send it as `Authorization: Bearer <token>`. Tokens can be revoked.

**Collections** answer `{"items": [...], "total": n, "page": p, "per_page": k}` and take
`page` (from 1) and `per_page` (1 to 200) query parameters.

**Errors** answer `{"error": {"code", "message", "fields": {name: [messages]}}}` with
400 (malformed JSON), 401, 403, 404, 409 (conflict, such as an illegal state change),
415 (a body that is not JSON), 422 (invalid fields) or 429 (too many attempts).
"""

for _blueprint in BLUEPRINTS:
    _blueprint.before_request(refuse_non_json_body)
    _blueprint.after_request(challenge_on_401)
    _blueprint.after_request(keep_token_use)
# `<id:…>` in the document; once, as the one Api object outlives the apps tests make.
rest_api.register_converter(RowId, RowId.openapi_schema)


def init_app(app: Flask) -> None:
    """Bind the API to `app`: its error schema, security scheme and blueprints."""
    # flask-smorest documents its own error shape unless told ours before `init_app`.
    rest_api.ERROR_SCHEMA = ErrorSchema
    app.url_map.converters["id"] = RowId
    rest_api.init_app(app)
    register(app, rest_api)


def register(app: Flask, api: Api) -> None:
    api.spec.options.setdefault("info", {})["description"] = DESCRIPTION
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/tokens"},
    )
    for blueprint in BLUEPRINTS:
        # Bearer tokens, not cookies, authenticate the API, so cross-site forms cannot use it.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
