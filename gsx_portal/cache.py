"""The shared cache, failing soft: a page that reads through the cache still answers when Redis is
down (it computes instead), and ``/readyz`` still reports the cache as failing, because its
write-then-read check finds nothing.

Caching is an optimisation here, never the source of truth (PostgreSQL is), so a lost cache call
costs time, not correctness.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
_DOWN = (ConnectionError, TimeoutError, OSError)


class FailSoftRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _DOWN:
            logger.warning("cache unavailable: get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _DOWN:
            logger.warning("cache unavailable: get_many")
            return {}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None, **kwargs: Any
    ) -> None:
        try:
            super().set(key, value, timeout, version, **kwargs)
        except _DOWN:
            logger.warning("cache unavailable: set")

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None, **kwargs: Any
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version, **kwargs)
        except _DOWN:
            logger.warning("cache unavailable: set_many")
            return list(data)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None, **kwargs: Any
    ) -> bool:
        try:
            return super().add(key, value, timeout, version, **kwargs)
        except _DOWN:
            logger.warning("cache unavailable: add")
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _DOWN:
            logger.warning("cache unavailable: delete")
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _DOWN as exc:
            # Callers treat a missing key as ValueError and set it instead, which fails soft too.
            raise ValueError("cache unavailable") from exc
