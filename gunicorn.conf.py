"""gunicorn, the production application server (`make serve`, docs/deploy.md).

Threaded workers: a request mostly waits on PostgreSQL or a file, so a few threads per process
serve more readers than more processes would, in less memory. Two processes per CPU keep every
core busy and one slow request from holding a whole core's share. Each value can be overridden
from the environment (WEB_CONCURRENCY, GUNICORN_THREADS, PORT or GUNICORN_BIND).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A request that takes this long is stuck: PDFs render in workers, never in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then, staggered, so slow growth in memory never builds up.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx on the same machine by default) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a disk that may stall (gunicorn's own advice in containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  (gunicorn's own choice)
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Never say which server and version answered.
proc_name = "gsx-web"


def post_worker_init(worker: object) -> None:
    """Move what loading the project made (modules, settings, URL patterns: some 130,000 objects)
    out of the collector's reach. Otherwise each full collection walks them all again: about every
    40 pages at ten times today's scale, 80 ms added to that page (bench/bench_scale.py measures
    the same way, bench/_django.py). They live as long as the process anyway."""
    gc.collect()
    gc.freeze()
