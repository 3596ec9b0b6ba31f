"""Public pages served from the cache to visitors who are not signed in.

On the days that matter (registration opening, an agenda everyone shares) most requests
are anonymous reads of a few pages. `@cached_page` keeps such a page's bytes under a key
made of the database's *generation* (raised after every committed change, so a change
shows at once), the language and the address; an entry also lives at most
PAGE_CACHE_SECONDS, so what changes with the clock alone (registration opening at 09:00)
shows within that time, as do changes made by a process that could not reach the shared
cache. Signed-in people, API tokens, and visitors with a message waiting always get a page
built for them.

When a page must be built again, one process builds it while the others go on serving the
page as it was (for a second or so, never more than STALE_SECONDS): a busy page is not
built by every worker at once the moment it changes.

Pages carry the visitor's CSRF token (the language switch is a form): it is taken out of
the cached bytes and each visitor's own put back in.
"""

import hashlib
import json
from functools import wraps

from flask import Response, current_app, g, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from .cache import cache_of

CSRF_MARK = b"@@convene-csrf-token@@"
STALE_SECONDS = 60  # how long the previous version may stand in while one is built
BUILD_SECONDS = 30  # a build lock older than this is a process that died building
CHANGED = "convene.changed"


# Every commit that changed something raises the generation -----------------------------


@event.listens_for(Session, "after_flush")
def _flushed(session, _context):
    session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state):
    # Bulk INSERT/UPDATE/DELETE statements change rows without a flush.
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[CHANGED] = True


@event.listens_for(Session, "after_commit")
def _committed(session):
    changed = session.info.pop(CHANGED, False)
    if changed and has_app_context() and "convene.cache" in current_app.extensions:
        cache_of(current_app).bump()


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    # The outermost transaction ended without a commit (a commit took the mark above):
    # its changes are gone. A savepoint's end says nothing about the rest.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


# The decorator ---------------------------------------------------------------------------


def anonymous_generation() -> int | None:
    """The generation to key what is kept for this reader, or None when nothing may be kept
    for them: keeping is off, they are signed in, or the cache cannot say."""
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0 or current_user.is_authenticated:
        return None
    return cache_of(current_app).generation()


def _cacheable() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and "_flashes" not in session
    )


def _address() -> str:
    address = f"{request.host}|{request.full_path}|{get_locale()}"
    return hashlib.sha256(address.encode()).hexdigest()[:40]


def _pack(response: Response, token: str | None) -> bytes:
    body = response.get_data()
    if token:
        body = body.replace(token.encode(), CSRF_MARK)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "content-length")
    ]
    return json.dumps(headers).encode() + b"\n" + body


def _unpack(stored: bytes) -> Response:
    head, body = stored.split(b"\n", 1)
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, generate_csrf().encode())
    response = Response(body)
    response.headers.clear()
    response.headers.extend(json.loads(head))
    return response


def cached_page(view=None, *, seconds: int | None = None):
    """Serve the view's 200 answers from the cache to anonymous visitors (see above).

    `seconds`: how long a page may stand when nothing is committed, for pages that change
    with the calendar day rather than the minute (PAGE_CACHE_SECONDS by default)."""
    if view is None:
        return lambda found: cached_page(found, seconds=seconds)

    @wraps(view)
    def wrapper(*args, **kwargs):
        generation = anonymous_generation() if _cacheable() else None
        if generation is None:
            return view(*args, **kwargs)
        cache = cache_of(current_app)
        address = _address()
        key = f"page:{generation}:{address}"
        stored = cache.get(key)
        if stored is not None:
            return _unpack(stored)
        building = f"building:{address}"
        if not cache.add(building, b"1", ttl=BUILD_SECONDS):
            stale = cache.get(f"page:latest:{address}")
            if stale is not None:
                return _unpack(stale)
            return _build(cache, key, address, seconds, view, args, kwargs)
        try:
            return _build(cache, key, address, seconds, view, args, kwargs)
        finally:
            cache.delete(building)

    return wrapper


def _build(cache, key: str, address: str, seconds, view, args, kwargs) -> Response:
    response = current_app.make_response(view(*args, **kwargs))
    if response.status_code == 200 and not response.direct_passthrough:
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        packed = _pack(response, token)
        cache.set(key, packed, ttl=seconds or current_app.config["PAGE_CACHE_SECONDS"])
        cache.set(f"page:latest:{address}", packed, ttl=STALE_SECONDS)
    return response
