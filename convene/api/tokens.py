"""POST /api/v1/tokens: e-mail and password in, bearer token out."""

import marshmallow as ma
from flask import g

from ..extensions import db, limiter
from ..models import Role
from ..services import accounts
from .common import ID, Text, Unauthorized, bearer_user, token_required
from .doc import api_error
from .routing import Blueprint

blp = Blueprint("api_tokens", __name__, url_prefix="/api/v1", description="Bearer tokens")


class Credentials(ma.Schema):
    email = Text(
        required=True,
        validate=ma.validate.Length(max=254),
        metadata={"example": "ana@example.org", "description": "matched whatever its case"},
    )
    password = Text(
        required=True,
        load_only=True,
        validate=ma.validate.Length(max=200),
        metadata={"example": "correct horse battery"},
    )
    name = Text(
        load_default="API",
        validate=ma.validate.Length(max=100),
        metadata={"description": "to tell your tokens apart", "example": "Reporting"},
    )


class TokenOut(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "to revoke it"})
    token = ma.fields.String(
        required=True,
        metadata={
            "description": "the secret: shown this once, only its hash is kept",
            "example": "cvn_0Hc0Xn8t3Jm1mS0XK6f2xqkQv1hH0b1y9Jm2c3d4e5f",
        },
    )
    name = ma.fields.String(required=True, metadata={"example": "Reporting"})


class Me(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True, metadata={"description": "IANA, like Europe/Paris"})
    locale = ma.fields.String(allow_none=True, metadata={"description": "en, fr or es"})
    roles = ma.fields.List(
        ma.fields.String(metadata={"enum": [role.value for role in Role]}), required=True
    )
    member_ids = ma.fields.List(
        ma.fields.Integer(),
        required=True,
        metadata={"description": "the members you are a focal point of"},
    )


@blp.route("/tokens", methods=["POST"])
@limiter.limit("10 per minute;100 per hour")
@blp.arguments(Credentials)  # the document shows each field's example
@blp.response(201, TokenOut)
@blp.alt_response(
    401,
    **api_error(
        401,
        "Wrong e-mail address or password, or the address is not confirmed yet",
        "Wrong e-mail address or password.",
    ),
)
@blp.alt_response(429, **api_error(429, "Too many attempts: see the Retry-After header"))
def create_token(credentials):
    """Exchange an e-mail address and password for a bearer token.

    Send the token as `Authorization: Bearer <token>`. A wrong address and a wrong
    password get the same answer, so the API does not tell who has an account.
    """
    try:
        user = accounts.authenticate(credentials["email"], credentials["password"])
    except (accounts.EmailNotConfirmed, accounts.SignInRefused) as error:
        raise Unauthorized(error.message) from None
    token, secret = accounts.create_api_token(user, credentials["name"])
    db.session.commit()
    return {"id": token.id, "token": secret, "name": token.name}


@blp.route(f"/tokens/<{ID}:token_id>", methods=["DELETE"])
@token_required
@blp.response(204)
@blp.alt_response(404, **api_error(404, "No such token among yours", "No such token."))
def revoke_token(token_id):
    """Revoke one of your own tokens (the one in use included).

    Revoking a revoked token changes nothing; someone else's token is not found.
    """
    accounts.revoke_api_token(bearer_user(), token_id)
    db.session.commit()


@blp.route("/me", methods=["GET"])
@token_required
@blp.response(200, Me)
def me():
    """The person the token belongs to."""
    user = g.api_user
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "timezone": user.timezone,
        "locale": user.locale,
        "roles": sorted(user.role_names),
        "member_ids": sorted(fp.member_id for fp in user.focal_points),
    }
