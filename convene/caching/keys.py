"""Every key the cache holds, made by `key()`, each kind with how its entries stop being
used and how long one may be stale.

Nothing is ever invalidated by hand: a key carries the version of what it holds (the
database's generation, or a feed's ETag), so a change makes a new key and the old entry
ages out (newest kept in memory, a time limit in Redis).
"""

import hashlib

# A public page as an anonymous visitor gets it: `page:<generation>:<address>`, the
# address being host, path with query, and language. Invalidated by any commit that
# changed a row (a new generation); lives PAGE_CACHE_SECONDS (or the view's `seconds`),
# so what changes with the clock alone shows within that time. Another process's commit
# shows within CACHE_GENERATION_RECHECK_MS through Redis, and within that lifetime without
# it (each process then keeps its own).
PAGE = "page"
# The page as last built for that address, whatever the generation:
# `page:latest:<address>`, served while one process builds the new one. Replaced by every
# build; stale at most STALE_SECONDS.
LATEST_PAGE = "page:latest"
# A lock, `building:<address>`: the one process that builds that page. Deleted after the
# build; expires after BUILD_SECONDS if its process died building.
BUILDING = "building"
# A feed's version (ETag and Last-Modified) for readers who are not signed in:
# `feedversion:<generation>:<feed and language>`. Invalidated by any commit (a new
# generation); lives PAGE_CACHE_SECONDS; stale as pages are.
FEED_VERSION = "feedversion"
# A built feed's bytes: `feed:<ETag>`. Never stale: the ETag is the version of the
# content, so changed content has a new key; ages out.
FEED = "feed"

# What names these may hold a secret (a private feed's token) or be long: hashed.
HASHED = frozenset({PAGE, LATEST_PAGE, BUILDING, FEED_VERSION})


def key(kind: str, what: str, generation: int | None = None) -> str:
    """The key of `what` among entries of `kind`, at `generation` for kinds keyed by it."""
    if kind in HASHED:
        what = hashlib.sha256(what.encode()).hexdigest()[:40]
    return f"{kind}:{what}" if generation is None else f"{kind}:{generation}:{what}"
