"""The benches' Django bootstrap, in one place: two ways of starting the project outside manage.py.

- ``serve()``: as a web process serves pages (DEBUG off, so no query log is kept; a throwaway
  key; the test client's host; plain static names, since nothing was collected), for the benches
  that time pages through Django's test client. With ``bench_cache`` (a Redis URL) the shared
  cache is that Redis database, under a key prefix of the run's own, so two benches (or the two
  sizes of bench_scale) never read each other's entries; ``cache_in_use()`` names it.
- ``work(prefix)``: as a worker renders documents (DEBUG on, as the PDF benches' settings have
  it; PDFs and, without a DATABASE_URL, the SQLite file in a scratch folder of their own), for the
  PDF and worker-memory benches. Returns that folder.

Both put the project and bench/ on sys.path first, so ``import bench_search`` and the project's
apps resolve from any working directory.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "bench"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# The benches' own Redis database unless BENCH_REDIS_URL names another: not CI's 0 and 1.
BENCH_REDIS_URL = "redis://127.0.0.1:6379/9"


def bench_redis_url() -> str | None:
    """The Redis database the page benches cache in, or None (then the in-process cache) when no
    Redis answers there."""
    url = os.environ.get("BENCH_REDIS_URL", BENCH_REDIS_URL)
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.exceptions.RedisError, OSError):
        return None
    return url


def serve(*, bench_cache: str | None = None) -> None:
    """Production-like settings for timing pages; ``bench_cache``: a Redis URL for the cache
    (``bench_redis_url()``), or None for whatever REDIS_URL says (the in-process cache without)."""
    os.environ["DEBUG"] = ""
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SITE_URL", "http://testserver")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # sends nothing
    if bench_cache:
        os.environ["REDIS_URL"] = bench_cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    import django
    from django.conf import settings

    if bench_cache:
        # A prefix of this run's own: entries of another run (other code, other data) are never read.
        settings.CACHES["default"]["KEY_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}"
    django.setup()
    # As gunicorn.conf.py's post_worker_init does once the project is loaded: the pages are timed
    # as a web process serves them, without full collections walking every loaded module.
    import gc

    gc.collect()
    gc.freeze()
    from django.test.utils import override_settings

    # Pages are timed without collectstatic: plain static names instead of the manifest's.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()


def work(prefix: str) -> Path:
    """Worker-like settings in a scratch folder (made here, returned)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("DEBUG", "1")
    os.environ["PUBLICATIONS_ROOT"] = str(scratch / "publications")
    os.environ["LOG_LEVEL"] = "WARNING"
    if not os.environ.get("DATABASE_URL"):
        os.environ["GSX_VAR_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    import django

    django.setup()
    return scratch


def cache_in_use() -> str:
    """Which cache the pages read: the backend, and its Redis database and key prefix if any."""
    from django.conf import settings

    default = settings.CACHES["default"]
    backend = default["BACKEND"].rsplit(".", 1)[-1]
    location = default.get("LOCATION", "")
    prefix = default.get("KEY_PREFIX", "")
    return backend + (f" at {location}" if location else "") + (f", key prefix {prefix}" if prefix else "")


def clear_bench_cache() -> None:
    """Delete this run's keys (its prefix only) from the bench's Redis database."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if not prefix.startswith("bench-") or not hasattr(cache, "_cache"):
        return
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
