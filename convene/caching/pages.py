"""Public pages kept for visitors who are not signed in, under keys.PAGE.

Signed-in people, API token holders and visitors with a message waiting always get a page
built for them. When a page must be built again, one process builds it while the others
serve the page as it was (keys.LATEST_PAGE): a busy page is not built by every worker at
once the moment it changes.

Pages carry a CSRF token (the language switch is a form). While a page that may be kept
is built, Flask-WTF's token for the request (its one place, `g.csrf_token`) is a mark, so
that templates and forms write the mark wherever a token goes; each visitor's own token
replaces the mark as the page is served, the builder's included.
"""

import json
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from .generation import anonymous_generation
from .keys import BUILDING, LATEST_PAGE, PAGE, key
from .store import Store, cache_of

CSRF_MARK = b"@@convene-csrf-token@@"
STALE_SECONDS = 60  # how long the previous version may stand in while one is built
BUILD_SECONDS = 30  # a build lock older than this is a process that died building


def _cacheable() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and "_flashes" not in session
    )


def _with_tokens(body: bytes) -> bytes:
    return body.replace(CSRF_MARK, generate_csrf().encode()) if CSRF_MARK in body else body


def _pack(response: Response) -> bytes:
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "content-length")
    ]
    return json.dumps(headers).encode() + b"\n" + response.get_data()


def _unpack(stored: bytes) -> Response:
    head, body = stored.split(b"\n", 1)
    response = Response(_with_tokens(body))
    response.headers.clear()
    response.headers.extend(json.loads(head))
    return response


def cached_page(view: Callable | None = None, *, seconds: int | None = None):
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
        store = cache_of(current_app)
        address = f"{request.host}|{request.full_path}|{get_locale()}"
        stored = store.get(key(PAGE, address, generation))
        if stored is not None:
            return _unpack(stored)
        building = key(BUILDING, address)
        if not store.add(building, b"1", ttl=BUILD_SECONDS):
            stale = store.get(key(LATEST_PAGE, address))
            if stale is not None:
                return _unpack(stale)
            return _build(store, address, generation, seconds, lambda: view(*args, **kwargs))
        try:
            return _build(store, address, generation, seconds, lambda: view(*args, **kwargs))
        finally:
            store.delete(building)

    return wrapper


def _build(
    store: Store, address: str, generation: int, seconds: int | None, make: Callable[[], object]
) -> Response:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    # generate_csrf() answers what g holds: the mark, wherever a token is written. A token
    # made before the view (none is today) would be in the page, which is then not kept.
    marking = field not in g
    if marking:
        setattr(g, field, CSRF_MARK.decode())
    try:
        response = current_app.make_response(make())
    finally:
        if marking:
            g.pop(field, None)
    if response.direct_passthrough:
        return response
    if response.status_code == 200 and marking:
        packed = _pack(response)
        ttl = seconds or current_app.config["PAGE_CACHE_SECONDS"]
        store.set(key(PAGE, address, generation), packed, ttl=ttl)
        store.set(key(LATEST_PAGE, address), packed, ttl=STALE_SECONDS)
    body = response.get_data()
    if CSRF_MARK in body:
        response.set_data(_with_tokens(body))
    return response
