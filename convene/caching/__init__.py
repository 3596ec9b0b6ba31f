"""The one cache of convene, and its model.

What is kept, its key (built by keys.key), when it stops being used, how stale it may be:

- A public page's headers and bytes (`cached_page`, pages.py), for visitors who are not
  signed in and have no API token or message waiting: `page:<generation>:<address and
  language>`; any commit makes a new generation; an entry lives PAGE_CACHE_SECONDS (or
  the view's `seconds`), and while one process rebuilds a page the others serve the
  previous one for up to STALE_SECONDS.
- A feed's version, ETag and Last-Modified (`serve_feed`, feeds.py), for readers who are
  not signed in: `feedversion:<generation>:<feed and language>`; any commit; lives
  PAGE_CACHE_SECONDS.
- A built feed's bytes (`serve_feed`), for every reader: `feed:<ETag>`; never stale, as
  the ETag is the content's version; ages out.
- A select's rendered options (`OptionsOnceSelect`, widgets.py), in each process: keyed by
  the options themselves; never stale; the 256 lists used last are kept.
- The session cookie's signer (`SignerPerKey`, signers.py), in each process: keyed by the
  secret key and its fallbacks; never stale.

The store (store.py) is each process's memory, or with CACHE_REDIS_URL one Redis shared by
every process, each keeping in its memory a copy of the entries it used last (an entry
never changes under its key). The *generation* is a counter in the store, raised after
every commit of the app's database session that changed a row (generation.py). A process
sees its own commits at once and, with Redis, other processes' within
CACHE_GENERATION_RECHECK_MS; a process that cannot reach Redis builds every answer. Nothing
is invalidated by hand: a change makes new keys and old entries age out. The store is
written by hand over redis-py rather than on Flask-Caching's backends: store.py says which
measurements decided it.

`init_app` makes the store and watches the session's commits.
"""

from flask import Flask

from .feeds import serve_feed
from .generation import anonymous_generation, watch_commits
from .pages import cached_page
from .signers import SignerPerKey
from .store import EXTENSION, MemoryCache, RedisCache, cache_of, make_store
from .widgets import OptionsOnceSelect

__all__ = [
    "MemoryCache",
    "OptionsOnceSelect",
    "RedisCache",
    "SignerPerKey",
    "anonymous_generation",
    "cache_of",
    "cached_page",
    "init_app",
    "serve_feed",
]


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = make_store(app.config)
    watch_commits()
