"""A small cache of built responses, keyed by version, for one process.

Keys carry the version of what they hold, so nothing is ever invalidated by hand: a change
makes a new key and the old entry ages out. (With Redis configured the same interface
will be shared by every process.)
"""

import threading
from collections import OrderedDict

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


def init_app(app) -> None:
    app.extensions["convene.cache"] = MemoryCache()


def cache_of(app) -> MemoryCache:
    return app.extensions["convene.cache"]
