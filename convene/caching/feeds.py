"""Calendar feeds: ETag and Last-Modified on every answer, 304 without building, built
bytes kept under keys.FEED and, for readers who are not signed in, each feed's version
under keys.FEED_VERSION.

Clients poll feeds all day, so the usual answer is a 304: for readers who are not signed in
it costs no query at all while nothing has been committed, and one small query after a
commit.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from flask import Response, current_app, request
from werkzeug.http import http_date, is_resource_modified, quote_etag

from .generation import anonymous_generation
from .keys import FEED, FEED_VERSION, key
from .store import Store, cache_of


class Version(Protocol):
    etag: str
    last_modified: datetime


class Feed(Protocol):
    def version(self) -> Version: ...

    def build(self) -> bytes: ...


def serve_feed(
    make_feed: Callable[[], Feed], filename: str, memo: str, private: bool = False
) -> Response:
    """Answer for the feed `make_feed()` returns (it checks who may see it).

    `memo` names the feed for this reader (address and language; hashed into the key, as it
    may hold a private feed's secret): while nothing has been committed, a reader who is not
    signed in is answered from the cache without a query (304, or the kept bytes)."""
    store = cache_of(current_app)
    generation = anonymous_generation()
    memo_key = key(FEED_VERSION, memo, generation) if generation is not None else None
    known = store.get(memo_key) if memo_key else None
    if known is not None:
        etag, _sep, stamp = known.decode().partition("|")
        response = _answer(store, etag, datetime.fromisoformat(stamp), filename, private)
        if response is not None:
            return response
    feed = make_feed()
    version = feed.version()
    if memo_key:
        remembered = f"{version.etag}|{version.last_modified.isoformat()}".encode()
        store.set(memo_key, remembered, ttl=current_app.config["PAGE_CACHE_SECONDS"])
    response = _answer(store, version.etag, version.last_modified, filename, private)
    if response is None:
        body = feed.build()
        store.set(key(FEED, version.etag), body)
        response = _answer(store, version.etag, version.last_modified, filename, private, body)
    return response


def _answer(
    store: Store,
    etag: str,
    last_modified: datetime,
    filename: str,
    private: bool,
    body: bytes | None = None,
) -> Response | None:
    """304 if the reader has this version (RFC 9110 §13.1: If-None-Match compared weakly,
    a list or `*`, If-Modified-Since only without it), else the bytes (kept ones unless
    given); None when they must be built."""
    response = Response(
        mimetype="text/calendar",
        headers={
            "ETag": quote_etag(etag),
            "Last-Modified": http_date(last_modified),
            "Cache-Control": f"{'private' if private else 'public'}, max-age=300",
            "Vary": "Accept-Language",
        },
    )
    if not is_resource_modified(
        request.environ, etag=quote_etag(etag), last_modified=last_modified
    ):
        # As Response.make_conditional answers, without building the body first.
        response.status_code = 412 if request.if_match else 304
        return response
    body = body if body is not None else store.get(key(FEED, etag))
    if body is None:
        return None
    response.set_data(body)
    response.content_type = "text/calendar; charset=utf-8"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
