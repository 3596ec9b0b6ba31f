"""The JSON API under /api/v1, documented by the OpenAPI document it generates.

flask-smorest builds the document from the same marshmallow schemas that parse requests
and shape responses, so the document cannot drift from the code.
"""

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf
from . import members, themes, tokens

BLUEPRINTS = (tokens.blp, themes.blp, members.blp)


def register(app: Flask, api: Api) -> None:
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens"}
    )
    for blueprint in BLUEPRINTS:
        # Bearer tokens, not cookies, authenticate the API, so cross-site forms cannot use it.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
