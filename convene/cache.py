"""A cache of built responses (calendar feeds), keyed by version.

Keys carry the version of what they hold, so nothing is ever invalidated by hand: a change
makes a new key and the old entry ages out. Without Redis each process keeps its own small
cache in memory; with CACHE_REDIS_URL (or REDIS_URL) every process shares one in Redis.
"""

import logging
import threading
from collections import OrderedDict

import redis

log = logging.getLogger(__name__)

MAX_ENTRIES = 256
MAX_BYTES = 64 * 1024 * 1024


class MemoryCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.max_entries, self.max_bytes = max_entries, max_bytes

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._size -= len(self._items.pop(key))
            self._items[key] = value
            self._size += len(value)
            while len(self._items) > self.max_entries or self._size > self.max_bytes:
                _key, old = self._items.popitem(last=False)
                self._size -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class RedisCache:
    """The same interface over Redis. An unreachable Redis is a miss, never an error: the
    response is built again, which is slower but still right."""

    PREFIX = "convene:cache:"
    # Old versions are never asked for again; they expire instead of being deleted.
    TTL_SECONDS = 7 * 24 * 3600

    def __init__(self, url: str, max_bytes: int = MAX_BYTES):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.max_bytes = max_bytes

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(self.PREFIX + key)
        except redis.RedisError as error:
            log.warning("cache unavailable (%s); building the response", error)
            return None

    def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        try:
            self.client.set(self.PREFIX + key, value, ex=self.TTL_SECONDS)
        except redis.RedisError as error:
            log.warning("cache unavailable (%s); response not kept", error)

    def clear(self) -> None:
        for key in self.client.scan_iter(self.PREFIX + "*"):
            self.client.delete(key)


def init_app(app) -> None:
    url = app.config.get("CACHE_REDIS_URL")
    app.extensions["convene.cache"] = RedisCache(url) if url else MemoryCache()


def cache_of(app) -> MemoryCache | RedisCache:
    return app.extensions["convene.cache"]
