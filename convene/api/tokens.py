"""POST /api/v1/tokens: e-mail and password in, bearer token out."""

from ..extensions import db, limiter
from ..services import accounts
from .common import ID, Unauthorized, bearer_user
from .doc import api_error
from .routing import Blueprint
from .schemas.tokens import Credentials, Me, TokenOut

blp = Blueprint("api_tokens", __name__, url_prefix="/api/v1", description="Bearer tokens")


blp.errors = {
    401: api_error(
        401,
        "Wrong e-mail address or password, or the address is not confirmed yet",
        "Wrong e-mail address or password.",
    ),
    404: api_error(404, "No such token among yours", "No such token."),
    429: api_error(429, "Too many attempts: see the Retry-After header"),
}


@blp.route("/tokens", methods=["POST"])
@limiter.limit("10 per minute;100 per hour")
@blp.arguments(Credentials)  # the document shows each field's example
@blp.response(201, TokenOut)
@blp.documented(429, 401)  # the order the document has always listed them in
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
@blp.operation(token=True, status=204, errors=(404,))
def revoke_token(token_id):
    """Revoke one of your own tokens (the one in use included).

    Revoking a revoked token changes nothing; someone else's token is not found.
    """
    accounts.revoke_api_token(bearer_user(), token_id)
    db.session.commit()


@blp.route("/me", methods=["GET"])
@blp.operation(token=True, answer=Me)
def me():
    """The person the token belongs to."""
    return bearer_user()
