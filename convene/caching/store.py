"""Where kept bytes live: each process's memory, or Redis shared by every process with a
copy of what each process used last in its own memory.

Hand-written rather than on Flask-Caching's backends (cachelib 0.17): measured by
bench/cachestore.py on the benchmark's machine, with a 40 KB page and the benchmark's
6 MB feed of 10,000 sessions:

- in memory, cachelib's SimpleCache pickles every value: 2.0 µs per read of a page
  against 0.4 here, and for the 6 MB feed 230 µs per read and 4 ms per write against 0.4
  and 1.2 µs; it bounds the number of entries, not their bytes, and a worker must stay
  under 200 MB;
- over Redis, cachelib's RedisCache goes at redis-py's own speed for pages (a read 110 to
  200 µs either way, a write 170 against 190, the generation 90 to 100) and slower for
  the feed (a read 25 against 18 ms, a write 8.5 against 3 ms: it pickles); it unpickles
  what it reads (whoever can write to Redis could run code in every web process), locks in
  two commands (SETNX then EXPIRE: 280 against 210 µs, and a lock without expiry if a
  process dies between them), keeps whole seconds only, cannot say how long an entry has
  left (the memory copy must not outlive it), and raises when Redis is down, where a miss
  is wanted. Wrapping all that would leave nothing of it in use but redis-py, used here
  as is.
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping

import redis
from flask import Flask

log = logging.getLogger(__name__)

MAX_ENTRIES = 256
MAX_BYTES = 64 * 1024 * 1024
# In front of Redis each worker keeps less: its memory is counted per process.
LOCAL_MAX_BYTES = 24 * 1024 * 1024
EXTENSION = "convene.cache"


class MemoryCache:
    """Bytes by key in this process, newest kept within `max_entries` and `max_bytes`; the
    generation counts this process's commits only."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self._items: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._generation = 0
        self.max_entries, self.max_bytes = max_entries, max_bytes

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            value, expires = found
            if expires is not None and expires < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        if len(value) > self.max_bytes:
            return
        expires = time.monotonic() + ttl if ttl else None
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (value, expires)
            self._size += len(value)
            while len(self._items) > self.max_entries or self._size > self.max_bytes:
                self._drop(next(iter(self._items)))

    def add(self, key: str, value: bytes, ttl: float) -> bool:
        """Set `key` only if it is not there: True if this call set it (a lock)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and (found[1] is None or found[1] >= time.monotonic()):
                return False
        self.set(key, value, ttl=ttl)
        return True

    def delete(self, key: str) -> None:
        with self._lock:
            if key in self._items:
                self._drop(key)

    def _drop(self, key: str) -> None:
        value, _expires = self._items.pop(key)
        self._size -= len(value)

    def generation(self) -> int | None:
        return self._generation

    def bump(self) -> None:
        with self._lock:
            self._generation += 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class RedisCache:
    """The same interface over Redis. An unreachable Redis is a miss, never an error: the
    response is built again, which is slower but still right."""

    PREFIX = "convene:cache:"
    GENERATION = "convene:generation"
    # Old versions are never asked for again; they expire instead of being deleted.
    TTL_SECONDS = 7 * 24 * 3600

    def __init__(self, url: str, max_bytes: int = MAX_BYTES, recheck: float = 0.0):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.max_bytes = max_bytes
        self.local = MemoryCache(max_bytes=LOCAL_MAX_BYTES)
        # The generation is asked of Redis at most every `recheck` seconds; this process's
        # own changes are seen at once, other processes' within that time.
        self.recheck = recheck
        self._known: tuple[int, float] | None = None

    def get(self, key: str) -> bytes | None:
        value = self.local.get(key)
        if value is not None:
            return value
        name = self.PREFIX + key
        try:
            # One round trip: the value, and how long Redis keeps it.
            value, left = self.client.pipeline(transaction=False).get(name).pttl(name).execute()
        except redis.RedisError as error:
            log.warning("cache unavailable (%s); building the response", error)
            return None
        if value is not None:
            # Kept locally no longer than Redis itself may keep it; without a time limit
            # until it ages out (feeds: the key changes with the content).
            self.local.set(key, value, ttl=None if left == -1 else max(left, 0) / 1000 or 1.0)
        return value

    def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        if len(value) > self.max_bytes:
            return
        self.local.set(key, value, ttl=ttl)
        try:
            expires = max(1, int(ttl * 1000)) if ttl else self.TTL_SECONDS * 1000
            self.client.set(self.PREFIX + key, value, px=expires)
        except redis.RedisError as error:
            log.warning("cache unavailable (%s); response not kept", error)

    def add(self, key: str, value: bytes, ttl: float) -> bool:
        """Set `key` only if no process has: True if this call set it (a lock)."""
        try:
            return bool(self.client.set(self.PREFIX + key, value, px=int(ttl * 1000), nx=True))
        except redis.RedisError:
            return True  # no lock to be had: build, as without a cache

    def delete(self, key: str) -> None:
        self.local.delete(key)
        try:
            self.client.delete(self.PREFIX + key)
        except redis.RedisError as error:
            log.warning("cache unavailable (%s); %s left to expire", error, key)

    def generation(self) -> int | None:
        """None when Redis cannot say: pages are then built, not served from the cache."""
        now = time.monotonic()
        if self._known is not None and now - self._known[1] < self.recheck:
            return self._known[0]
        try:
            generation = int(self.client.get(self.GENERATION) or 0)
        except redis.RedisError:
            self._known = None
            return None
        self._known = (generation, now)
        return generation

    def bump(self) -> None:
        try:
            self._known = (int(self.client.incr(self.GENERATION)), time.monotonic())
        except redis.RedisError as error:
            self._known = None
            # Pages cached before the change live out their few seconds, then go.
            log.warning("cache unavailable (%s); generation not raised", error)

    def clear(self) -> None:
        self.local.clear()
        for key in self.client.scan_iter(self.PREFIX + "*"):
            self.client.delete(key)


Store = MemoryCache | RedisCache


def make_store(config: Mapping) -> Store:
    """Redis when CACHE_REDIS_URL is set (shared by every process), else this process's memory."""
    url = config.get("CACHE_REDIS_URL")
    recheck = config.get("CACHE_GENERATION_RECHECK_SECONDS", 0.0)
    return RedisCache(url, recheck=recheck) if url else MemoryCache()


def cache_of(app: Flask) -> Store:
    """The app's store (made by caching.init_app)."""
    return app.extensions[EXTENSION]
