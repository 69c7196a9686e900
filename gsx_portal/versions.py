"""The reads version: one number that moves whenever something a public page shows is written.

Cached reads (facet counts, home figures, convening fragments) put it in their keys, so a change
is visible at once: the next read misses and recounts, and old entries simply expire. It lives in
the shared cache (Redis in production). A writer moves it twice: at once, and again after commit,
so that a read cached between the two (which may have seen the old rows) is never used again. A
lost key restarts from the clock, never from a number that was used before.

A second number, the content version, moves with every write too, except those that change only
endorsements (``reads_changed(content=False)``: an endorsement, its withdrawal). Reads that no
endorsement can change (the text matches of a search, the theme, addressee, convening and
status facets, the order of a list that is not sorted by endorsements) are keyed on it, so the
most frequent write leaves them cached; everything that shows or sorts by endorsements stays on
the reads version.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

KEY = "gsx:reads-version"
CONTENT_KEY = "gsx:content-version"
T = TypeVar("T")
_MISSING = object()


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key, time.time_ns())
    return str(version)


def reads_version() -> str:
    return _version(KEY)


def content_version() -> str:
    return _version(CONTENT_KEY)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # the key was lost (eviction, a restarted cache)
        cache.set(key, time.time_ns(), timeout=None)


def _bump_all(keys: tuple[str, ...]) -> None:
    for key in keys:
        _bump(key)


def reads_changed(*, content: bool = True) -> None:
    """Something a page shows was written; ``content=False``: only endorsements (and the tallies
    their triggers keep), nothing else."""
    keys = (KEY, CONTENT_KEY) if content else (KEY,)
    _bump_all(keys)
    transaction.on_commit(partial(_bump_all, keys))


CACHED_FOR = 600  # seconds; an entry of an older version is never read again, it only expires


def versioned_key(name: str, *parts: object, content: bool = False) -> str:
    """A cache key for a read under the current reads version (``content``: under the content
    version, for a read no endorsement changes); ``parts`` must name the audience."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    version = content_version() if content else reads_version()
    return f"gsx:{name}:{'c' if content else 'r'}{version}:{digest}"


def cached_read(name: str, parts: tuple[object, ...], compute: Callable[[], T], *, content: bool = False) -> T:
    key = versioned_key(name, *parts, content=content)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    cache.set(key, value, CACHED_FOR)
    return value
