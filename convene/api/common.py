"""What every API resource shares: authentication, input checks and pagination."""

import re
from functools import wraps

import marshmallow as ma
from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from ..database import READ_METHODS
from ..extensions import db
from ..models import ApiToken, Theme
from ..services import DomainError, InvalidInput, accounts
from ..services.content import shown
from ..services.validation import nonexistent, some_of
from .doc import UNAUTHORIZED_DOC
from .routing import MAX_ID

SECURITY = [{"bearerAuth": []}]
# An id in a URL: routing.RowId, so that one no row can have is "not found" (404).
ID = "id"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


TIMEZONE_DOC = (
    "a canonical IANA name (tzdata's zone.tab, like Africa/Asmara) or UTC; an old alias "
    "(Africa/Asmera, US/Eastern) is refused with 422, its message naming the one to use"
)

# NUL and lone surrogates fit no database column (PostgreSQL refuses NUL, UTF-8 surrogates).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class Text(ma.fields.String):
    """A string refused with 422, not a database error, when it holds unstorable characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _UNSTORABLE.search(value):
            raise ma.ValidationError(_("Contains characters that are not allowed."))
        return value


class _SaysWhatDoesNotExist:
    """A date field that says a well-written date or time does not exist (2026-02-30,
    24:61), where marshmallow would only say that it is not valid."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ma.ValidationError:
            if message := nonexistent(value):
                raise ma.ValidationError(message) from None
            raise


class Date(_SaysWhatDoesNotExist, ma.fields.Date):
    pass


class DateTime(_SaysWhatDoesNotExist, ma.fields.DateTime):
    pass


class AwareDateTime(_SaysWhatDoesNotExist, ma.fields.AwareDateTime):
    pass


def bearer_user():
    """The user whose valid token is in the Authorization header, or None; looked up once
    a request, and never committing: a view that writes saves the token's use with its own
    work (one commit, not two), and `keep_token_use` saves it after a read."""
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


class PageArgs(ma.Schema):
    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=100_000),
        metadata={"description": "1 for the first page"},
    )
    per_page = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(min=1, max=200),
        metadata={"description": "items per page"},
    )


def collection_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{"items": [...], "total": n, "page": p, "per_page": k}` schema around `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(
                required=True, metadata={"description": "items on all pages"}
            ),
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


# Ids are 32-bit integer columns: anything larger is refused with 422, not a database error.
ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)


def theme_ids_for(slugs: list[str], field: str = "themes") -> list[int]:
    """Theme ids for slugs, in order; InvalidInput naming the unknown ones."""
    rows = db.session.execute(select(Theme.slug, Theme.id).where(Theme.slug.in_(slugs)))
    found = {slug: id_ for slug, id_ in rows}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        message = _("Unknown theme: %(slugs)s.", slugs=some_of(unknown))
        raise InvalidInput(message, {field: [message]})
    return [found[slug] for slug in slugs]


# Content in several languages (events, sessions, commitments) -------------------------

LANGUAGE_CODES = ["en", "fr", "es"]
TEXTS_FIELDS = ("title", "description")
TEXTS = ma.fields.Dict(
    keys=ma.fields.String(validate=ma.validate.OneOf(["title", "description"])),
    values=ma.fields.String(),
)


class TranslatedOut(ma.Schema):
    """`title` and `description` come in the language the request's Accept-Language asks
    for when translated, else in the original; `shown_languages` says which they are in."""

    language = ma.fields.String(required=True, metadata={"enum": LANGUAGE_CODES})
    translations = ma.fields.Dict(
        keys=ma.fields.String(),
        values=TEXTS,
        required=True,
        metadata={"example": {"fr": {"title": "Forum de la justice ouverte"}}},
    )
    shown_languages = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"example": {"title": "fr", "description": "en"}},
    )


class TranslatedIn(ma.Schema):
    language = ma.fields.String(validate=ma.validate.OneOf(LANGUAGE_CODES))
    translations = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(LANGUAGE_CODES)), values=TEXTS
    )


def translated(item) -> dict:
    """The translatable fields of `item` for the reader the request speaks for."""
    wanted = request.accept_languages.best_match(LANGUAGE_CODES) if request else None
    texts = {field: shown(item, field, wanted or item.language) for field in TEXTS_FIELDS}
    return {
        **{field: found.text for field, found in texts.items()},
        "language": item.language,
        "translations": item.translations or {},
        "shown_languages": {field: found.language for field, found in texts.items()},
    }


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
