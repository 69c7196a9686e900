"""Load on the production server: 50 concurrent users for 60 s against gunicorn on PostgreSQL.

Builds a database of its own (``<DATABASE_URL's name>_load``: dropped, created, migrated, with the
demo content and the seed summaries), collects the static files, starts gunicorn with
gunicorn.conf.py and DEBUG off on a loopback port, renders the brief once, then runs USERS
threads for DURATION seconds. Each user is a closed loop, a new connection per request (as nginx
in front would open them): it sends its next request as soon as the last one answered (plus
BENCH_THINK seconds, 0 by default), over a weighted mix of the home page, the recommendation
list, searches, recommendation pages, convening pages and the cached brief. It prints
requests/s, p50, p95 and the error count, overall and per kind of page, then stops the server
and drops its database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench [REDIS_URL=redis://127.0.0.1:6379/5] \\
      BENCH_PORT=8132 .venv/bin/python bench/bench_load.py

Tasks run in the web process (no broker): the one brief renders at the warm-up, then is a file.
Without a PostgreSQL DATABASE_URL it says so and exits 0. Loopback only; bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
USERS = int(os.environ.get("BENCH_USERS", "50"))
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
THINK = float(os.environ.get("BENCH_THINK", "0"))
PORT = int(os.environ.get("BENCH_PORT", "8132"))
TIMEOUT = 30
# (kind, weight): what a reader mostly does is read recommendations and search for them.
MIX = [("home", 2), ("list", 2), ("search", 2), ("recommendation", 3), ("convening", 2), ("brief", 1)]
SEARCHES = ["youth", "civil society", "funding", "trust", "women", "local"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(*args: str, env: dict[str, str], quiet: bool = True) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def prepare(scratch: Path) -> tuple[dict[str, str], str]:
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/')}_load"
    database = url._replace(path=f"/{name}").geturl()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "PYTEST_VERSION"}},
        "DATABASE_URL": database,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(scratch / "mail"),
        "GSX_VAR_DIR": str(scratch),
        "STATIC_ROOT": str(scratch / "static"),
        "PUBLICATIONS_ROOT": str(scratch / "publications"),
        "EVIDENCE_ROOT": str(scratch / "evidence"),
        "MEDIA_ROOT": str(scratch / "media"),
        "LOG_LEVEL": "WARNING",
    }
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *pg, name], env=env, capture_output=True, check=False)
    run("createdb", *pg, name, env=env)
    run(PY, "manage.py", "migrate", "--no-input", env=env)
    run(PY, "manage.py", "load_demo", env=env)
    seeds = Path(os.environ.get("GSX_SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
    for seed in sorted(seeds.glob("*.txt")):
        run(PY, "manage.py", "import_summary", str(seed), "--publish", env=env)
    run(PY, "manage.py", "collectstatic", "--no-input", env=env)
    return env, name


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        gunicorn = [str(Path(PY).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
        self.process = subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null", "gsx_portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole, workers included
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(http.client.HTTPConnection("127.0.0.1", PORT, timeout=2), "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        sys.exit("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Accept-Language": "en"})
    response = connection.getresponse()
    return response.status, response.read()


def discover() -> dict[str, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT)
    _status, listing = get(connection, "/convenings/")
    convenings = sorted(set(re.findall(r'href="(/convenings/[a-z0-9-]+/)"', listing.decode())))
    recommendations: list[str] = []
    for convening in convenings:
        page = get(connection, convening)[1].decode()
        recommendations += sorted(set(re.findall(rf'href="({re.escape(convening)}r/\d+/)"', page)))
    brief = f"{convenings[0]}brief.pdf"
    status, body = get(connection, brief)  # the render, once (in-process: no broker here)
    if status != 200 or body[:5] != b"%PDF-":
        sys.exit(f"the brief did not render at warm-up ({status})")
    return {
        "home": ["/"],
        "list": ["/recommendations/", "/recommendations/?sort=endorsed", "/recommendations/?page=2"],
        "search": [f"/recommendations/?q={q.replace(' ', '+')}" for q in SEARCHES],
        "recommendation": recommendations,
        "convening": convenings,
        "brief": [brief],
    }


def user(urls: dict[str, list[str]], until: float, seed: int, results: list[tuple[str, float, bool]]) -> None:
    rng = random.Random(seed)  # a load mix, not security
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    while time.monotonic() < until:
        kind = rng.choice(kinds)
        path = rng.choice(urls[kind])
        started = time.perf_counter()
        # A connection per request, as nginx opens them to gunicorn by default (HTTP/1.0 upstream):
        # a kept-alive connection would stay with one gunicorn process however busy it is.
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT)
        try:
            status, _body = get(connection, path)
            ok = status == 200
        except (OSError, http.client.HTTPException):
            ok = False
        finally:
            connection.close()
        results.append((kind, (time.perf_counter() - started) * 1000, ok))
        if THINK:
            time.sleep(THINK)


def report(results: list[tuple[str, float, bool]], elapsed: float) -> int:
    timings = [ms for _kind, ms, _ok in results]
    errors = sum(1 for _kind, _ms, ok in results if not ok)
    print(f"{USERS} users, {elapsed:.0f} s, think time {THINK:g} s, gunicorn on PostgreSQL at 127.0.0.1:{PORT}")
    print(
        f"  all: {len(results)} requests, {len(results) / elapsed:.1f} requests/s, "
        f"p50 {statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, errors {errors}"
    )
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, ms, _ok in results:
        by_kind[kind].append(ms)
    for kind, _weight in MIX:
        values = by_kind.get(kind) or [0.0]
        print(
            f"  {kind:<15} {len(by_kind.get(kind, [])):>6} requests  p50 {statistics.median(values):>6.0f} ms"
            f"  p95 {percentile(values, 0.95):>6.0f} ms"
        )
    return 1 if errors else 0


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database (the load bench runs gunicorn on PostgreSQL)")
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="gsx-load-"))
    env, name = prepare(scratch)
    server = Server(env, scratch / "gunicorn.log")
    try:
        server.wait()
        urls = discover()
        results: list[tuple[str, float, bool]] = []
        until = time.monotonic() + DURATION
        started = time.monotonic()
        threads = [threading.Thread(target=user, args=(urls, until, n, results)) for n in range(USERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION + TIMEOUT + 5)
        return report(results, time.monotonic() - started)
    finally:
        server.stop()
        url = urlsplit(env["DATABASE_URL"])
        pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        subprocess.run(["dropdb", "--if-exists", *pg, name], env=env, capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
