"""convene's cache store against Flask-Caching's backends (cachelib), operation by operation.

    .venv/bin/pip install cachelib   # not a dependency of convene: for this comparison only
    .venv/bin/python bench/cachestore.py [redis://127.0.0.1:6379/13]

Prints microseconds per call for a 40 KB page and a 6 MB feed, in memory and over Redis
(the database given, emptied first). The figures in convene/caching/store.py come from it.
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from convene.caching import MemoryCache, RedisCache  # noqa: E402

try:
    from cachelib import RedisCache as LibRedisCache
    from cachelib import SimpleCache
except ImportError:
    sys.exit("cachelib is not installed: .venv/bin/pip install cachelib")

SIZES = (("40 KB page", 40_000, 20_000), ("6 MB feed", 6_000_000, 300))


def per_call(call: Callable[[], object], times: int) -> float:
    """Microseconds per call, after one call to warm up."""
    call()
    start = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - start) / times * 1e6


def show(what: str, ours: float, theirs: float) -> None:
    print(f"{what:40s} convene {ours:10.1f} µs   cachelib {theirs:10.1f} µs")


def in_memory() -> None:
    ours, theirs = MemoryCache(), SimpleCache(threshold=256)
    for label, size, times in SIZES:
        value = b"x" * size
        ours.set("k", value)
        theirs.set("k", value)
        show(
            f"memory get, {label}",
            per_call(lambda: ours.get("k"), times),
            per_call(lambda: theirs.get("k"), times),
        )
        show(
            f"memory set, {label}",
            per_call(lambda v=value: ours.set("k", v, ttl=5), times // 10),
            per_call(lambda v=value: theirs.set("k", v, timeout=5), times // 10),
        )


def over_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    client.flushdb()
    ours, theirs = RedisCache(url), LibRedisCache(host=client, key_prefix="cachelib:")

    def ours_from_redis():  # past the memory copy, as a process's first read is
        ours.local.clear()
        return ours.get("k")

    for label, size, times in SIZES:
        value, times = b"x" * size, max(times // 20, 30)
        ours.set("k", value, ttl=60)
        theirs.set("k", value, timeout=60)
        show(
            f"redis get, {label}",
            per_call(ours_from_redis, times),
            per_call(lambda: theirs.get("k"), times),
        )
        show(
            f"redis set, {label}",
            per_call(lambda v=value: ours.set("k", v, ttl=60), times),
            per_call(lambda v=value: theirs.set("k", v, timeout=60), times),
        )
    theirs.set("generation", 0)
    show(
        "redis generation read",
        per_call(ours.generation, 3000),
        per_call(lambda: theirs.get("generation"), 3000),
    )
    show(
        "redis lock taken and given back",
        per_call(lambda: (ours.add("lock", b"1", ttl=30), ours.delete("lock")), 3000),
        per_call(lambda: (theirs.add("lock", b"1", timeout=30), theirs.delete("lock")), 3000),
    )
    client.flushdb()


if __name__ == "__main__":
    in_memory()
    over_redis(sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/13")
