"""What every API view shares: authentication, input checks, pagination and answers."""

from dataclasses import fields
from functools import cache, wraps

import marshmallow as ma
from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from ..database import READ_METHODS
from ..extensions import db
from ..models import ApiToken, Theme
from ..services import DomainError, InvalidInput, accounts
from ..services.validation import some_of
from .doc import UNAUTHORIZED_DOC

SECURITY = [{"bearerAuth": []}]
# An id in a URL: routing.RowId, so that one no row can have is "not found" (404).
ID = "id"


class Unauthorized(DomainError):
    """No valid bearer token; the answer says which scheme to use (challenge_on_401)."""

    status, code = 401, "unauthorized"


class UnsupportedMediaType(DomainError):
    """A body that is not JSON (refuse_non_json_body)."""

    status, code = 415, "unsupported_media_type"


def bearer_user():
    """The user whose valid token is in the Authorization header, or None; looked up once
    a request, and never committing: a view that writes saves the token's use with its own
    work (one commit, not two), and `keep_token_use` saves it after a read; either way the
    view reads the token with this use already on it."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        user = None
        if scheme.lower() == "bearer" and secret.strip():
            session = db.session
            untouched = not (session.new or session.dirty or session.deleted)
            user = accounts.user_for_api_token(secret.strip())
            if untouched and request.method in READ_METHODS:
                for token in session.dirty:  # the token's use is all that changed
                    g.api_token_use = (token.id, token.last_used_at)
                    # Not flushed by the view's reads, which would hold SQLite's write lock.
                    set_committed_value(token, "last_used_at", token.last_used_at)
                    # Held for the request: the session keeps an unchanged object only
                    # weakly, and a view reading the token again (the personal data
                    # export) would load it from the database, without this use.
                    g.api_token = token
        g.api_user = user
    return g.api_user


def keep_token_use(response):
    """After a read, save the token's use that `bearer_user` noted, and nothing else: what
    a read leaves unsaved is dropped at the end of the request anyway. Best effort: when
    SQLite is busy with a writer, the next call records it."""
    token_id, used_at = g.pop("api_token_use", (None, None))
    if token_id is None or response.status_code >= 500:
        return response  # after a server error the database may be out of reach
    session = db.session
    try:
        session.rollback()
        session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=used_at)
        )
        session.commit()
    except OperationalError:
        session.rollback()
    return response


def token_required(view):
    """Refuse with 401 unless the request carries a valid bearer token.

    Also documents the operation as needing `bearerAuth` and answering 401. Put it right
    under `@blp.route`, so that a call without a token is refused before its arguments
    are read.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer_user() is None:
            raise Unauthorized(_("A valid bearer token is required: POST /api/v1/tokens."))
        return view(*args, **kwargs)

    wrapper.requires_token = True
    return Blueprint.doc(security=SECURITY, responses={"401": UNAUTHORIZED_DOC})(wrapper)


def refuse_non_json_body() -> None:
    """Answer 415 to a body that is not JSON, rather than 422 for fields that seem missing."""
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype and not request.is_json:
        raise UnsupportedMediaType(_("Send the request body as JSON (application/json)."))


def challenge_on_401(response):
    """RFC 6750: a 401 tells the client which authentication scheme to use."""
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="convene"')
    return response


def viewer():
    """The token's owner; None without a token; Unauthorized for a token that is not valid."""
    user = bearer_user()
    if user is None and request.headers.get("Authorization"):
        raise Unauthorized(_("A valid bearer token is required: POST /api/v1/tokens."))
    return user


def paginate(query, page: int, per_page: int) -> dict:
    """One page of `query` as the collection shape, in two queries whatever the page size."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def page_of(items, page: int = 1, per_page: int | None = None) -> dict:
    """The collection shape around a list already read: one page of it, or all of it on
    one page when `per_page` is None."""
    items = list(items)
    if per_page is None:
        return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}
    start = (page - 1) * per_page
    window = items[start : start + per_page]
    return {"items": window, "total": len(items), "page": page, "per_page": per_page}


def filters_from(args: dict, filters_class: type, **values):
    """A service's filters (a dataclass) from the query arguments of the same names, and
    `values` for those the API names otherwise."""
    names = {field.name for field in fields(filters_class)}
    return filters_class(**{k: v for k, v in args.items() if k in names}, **values)


def dumped(schema: type[ma.Schema], item, status: int) -> Response:
    """`item` dumped by `schema` now, for a view to answer after its commit: the commit
    expires every object, and dumping after it would read them all again (on SQLite in a
    transaction that takes the write lock once more)."""
    response = jsonify(_instance(schema).dump(item))
    response.status_code = status
    return response


@cache
def _instance(schema: type[ma.Schema]) -> ma.Schema:
    return schema()


def theme_ids_for(slugs: list[str], field: str = "themes") -> list[int]:
    """Theme ids for slugs, in order; InvalidInput naming the unknown ones."""
    rows = db.session.execute(select(Theme.slug, Theme.id).where(Theme.slug.in_(slugs)))
    found = {slug: id_ for slug, id_ in rows}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        message = _("Unknown theme: %(slugs)s.", slugs=some_of(unknown))
        raise InvalidInput(message, {field: [message]})
    return [found[slug] for slug in slugs]


def theme_id_for(slug: str | None, field: str = "theme") -> int | None:
    """The id of the theme `slug` names, None for no slug; InvalidInput under `field` when
    no theme has it."""
    return theme_ids_for([slug], field)[0] if slug else None


# Content in several languages (events, sessions, commitments) -------------------------


def translation_input(data: dict, item=None) -> tuple[str | None, dict | None]:
    """(language, translations) for a service: None for both when the request sends
    neither, so what is stored stays as it is."""
    if "language" not in data and "translations" not in data:
        return None, None
    language = data.get("language") or (item.language if item is not None else "en")
    translations = data.get("translations")
    if translations is None:
        translations = (item.translations if item is not None else None) or {}
    return language, translations
