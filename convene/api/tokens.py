"""POST /api/v1/tokens: e-mail and password in, bearer token out."""

import marshmallow as ma
from flask import g
from flask_smorest import Blueprint

from ..extensions import db, limiter
from ..services import accounts
from .common import SECURITY, Unauthorized, bearer_user, token_required

blp = Blueprint("api_tokens", __name__, url_prefix="/api/v1", description="Bearer tokens")


class Credentials(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(max=200))
    name = ma.fields.String(load_default="API", validate=ma.validate.Length(max=100))


class TokenOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    token = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class Me(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    locale = ma.fields.String(allow_none=True)
    roles = ma.fields.List(ma.fields.String(), required=True)
    member_ids = ma.fields.List(ma.fields.Integer(), required=True)


@blp.route("/tokens", methods=["POST"])
@limiter.limit("10 per minute;100 per hour")
@blp.arguments(Credentials)
@blp.response(201, TokenOut)
@blp.alt_response(401, description="Wrong e-mail address or password")
def create_token(credentials):
    """Exchange an e-mail address and password for a bearer token."""
    try:
        user = accounts.authenticate(credentials["email"], credentials["password"])
    except (accounts.EmailNotConfirmed, accounts.SignInRefused) as error:
        raise Unauthorized(error.message) from None
    token, secret = accounts.create_api_token(user, credentials["name"])
    db.session.commit()
    return {"id": token.id, "token": secret, "name": token.name}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def revoke_token(token_id):
    """Revoke one of your own tokens (the one in use included)."""
    accounts.revoke_api_token(bearer_user(), token_id)
    db.session.commit()


@blp.route("/me", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, Me)
@token_required
def me():
    """The person the token belongs to."""
    user = g.api_user
    return {
        "id": user.id, "email": user.email, "name": user.name, "timezone": user.timezone,
        "locale": user.locale, "roles": sorted(user.role_names),
        "member_ids": [fp.member_id for fp in user.focal_points],
    }
