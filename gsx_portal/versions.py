"""The reads version: one number that moves whenever something a public page shows is written.

Cached reads (facet counts, home figures, convening fragments) put it in their keys, so a change
is visible at once: the next read misses and recounts, and old entries simply expire. It lives in
the shared cache (Redis in production). A writer moves it twice: at once, and again after commit,
so that a read cached between the two (which may have seen the old rows) is never used again. A
lost key restarts from the clock, never from a number that was used before.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

KEY = "gsx:reads-version"
T = TypeVar("T")
_MISSING = object()


def reads_version() -> str:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, time.time_ns(), timeout=None)
        version = cache.get(KEY, time.time_ns())
    return str(version)


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # the key was lost (eviction, a restarted cache)
        cache.set(KEY, time.time_ns(), timeout=None)


def reads_changed() -> None:
    _bump()
    transaction.on_commit(_bump)


CACHED_FOR = 600  # seconds; an entry of an older version is never read again, it only expires


def versioned_key(name: str, *parts: object) -> str:
    """A cache key for a read under the current reads version; ``parts`` must name the audience."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"gsx:{name}:{reads_version()}:{digest}"


def cached_read(name: str, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    key = versioned_key(name, *parts)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    cache.set(key, value, CACHED_FOR)
    return value
