"""What every API resource shares: authentication, pagination and the error format."""

from functools import wraps

import marshmallow as ma
from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..services import DomainError, accounts

SECURITY = [{"bearerAuth": []}]


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


def bearer_user():
    """The user whose valid token is in the Authorization header, or None."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        user = None
        if scheme.lower() == "bearer" and secret.strip():
            user = accounts.user_for_api_token(secret.strip())
        g.api_user = user
    return g.api_user


def token_required(view):
    """Refuse with 401 unless the request carries a valid bearer token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer_user() is None:
            raise Unauthorized(_("A valid bearer token is required: POST /api/v1/tokens."))
        return view(*args, **kwargs)

    return wrapper


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


def collection_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{"items": [...], "total": n, "page": p, "per_page": k}` schema around `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(required=True),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
        },
        name=name,
    )


def paginate(query, page: int, per_page: int) -> dict:
    """One page of `query` as the collection shape, in two queries whatever the page size."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}
