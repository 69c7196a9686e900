"""The production smoke test's HTTP client (stdlib only): crawl, download the brief, read /readyz.

Run by scripts/smoke-production.sh against a server on 127.0.0.1; it never leaves the machine.

    smoke_client.py crawl BASE [--login USER:PASSWORD]   every page and linked static file is 200
    smoke_client.py brief BASE SLUG                       the brief through its pending page
    smoke_client.py ready BASE --status 200|503 [--failing a,b]
    smoke_client.py pages BASE                            the main public pages answer 200
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from http.cookiejar import CookieJar

MAX_PAGES = 250
MAX_VARIANTS = 3  # query-string variants of one path: facets link to many, a few prove the page
LINK = re.compile(r"""(?:href|hx-get)="([^"#]*)""")
ASSET = re.compile(r"""<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]+)\"""")
# Not pages: downloads (checked apart), state changes on GET elsewhere, and the admin.
SKIP = re.compile(r"\.(pdf|csv|xlsx)(\?|$)|/logout|/admin/|/_nested_admin/|/i18n/|/unsubscribe/|/evidence/")
TIMEOUT = 30


class Client:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, str]:
        # http(s) only: base is the loopback server the smoke test started.
        request = urllib.request.Request(self.base + path, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, dict(response.headers), response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read(), error.url

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.url
        except urllib.error.HTTPError as error:
            return error.code, error.url

    def login(self, username: str, password: str) -> None:
        status, _headers, body, _url = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            sys.exit(f"login page: {status}")
        status, url = self.post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()},
        )
        if status != 200 or "/accounts/login/" in url:
            sys.exit(f"login as {username} failed ({status}, {url})")


def _same_site(client: Client, link: str) -> str | None:
    link = link.replace("&amp;", "&")
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(client.base + "/", link))
    if parts.netloc != urllib.parse.urlsplit(client.base).netloc or parts.scheme not in ("http", "https"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(base: str, login: str | None) -> int:
    client = Client(base)
    if login:
        client.login(*login.split(":", 1))
    queue: deque[str] = deque(["/"])
    seen: set[str] = set()
    assets: set[str] = set()
    variants: dict[str, int] = {}
    failures: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        bare = path.split("?", 1)[0]
        if "?" in path:
            if variants.get(bare, 0) >= MAX_VARIANTS:
                continue
            variants[bare] = variants.get(bare, 0) + 1
        seen.add(path)
        status, headers, body, _url = client.get(path)
        if status != 200:
            failures.append(f"{status} {path}")
            continue
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        html = body.decode("utf-8", "replace")
        for link in LINK.findall(html):
            target = _same_site(client, link)
            if target and target not in seen:
                queue.append(target)
        for asset in ASSET.findall(html):
            target = _same_site(client, asset)
            if target and target.startswith("/static/"):
                assets.add(target)
    for asset in sorted(assets):
        status, headers, _body, _url = client.get(asset)
        if status != 200:
            failures.append(f"{status} {asset}")
    who = login.split(":", 1)[0] if login else "anonymous"
    print(f"crawl as {who}: {len(seen)} pages, {len(assets)} static files, {len(failures)} failures")
    for failure in failures:
        print(f"  {failure}")
    if len(seen) < 20 or not any(a.endswith(".css") for a in assets) or not any(a.endswith(".js") for a in assets):
        print("  the crawl reached too little (pages, CSS or JavaScript missing)")
        return 1
    return 1 if failures else 0


def brief(base: str, slug: str, timeout: float = 120) -> int:
    """Ask for the brief in French (never pre-rendered): a pending page first, then the worker's PDF."""
    client = Client(base)
    url = f"/convenings/{slug}/brief.pdf"
    headers = {"Accept-Language": "fr"}
    status, _h, body, _u = client.get(url, headers)
    if status != 202 or b"hx-get" not in body:
        print(f"brief: expected the 202 pending page that polls, got {status}")
        return 1
    deadline, polls = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        polls += 1
        # What the page's htmx poll asks; a ready answer says so and starts the download.
        status, _h, fragment, _u = client.get(url, {**headers, "HX-Request": "true"})
        if status == 200 and b"<iframe" in fragment:
            status, response_headers, pdf, _u = client.get(url, headers)
            ok = status == 200 and response_headers.get("Content-Type") == "application/pdf" and pdf[:5] == b"%PDF-"
            print(f"brief: pending page, {polls} polls, then {len(pdf)} bytes of PDF" if ok else f"brief: {status}")
            return 0 if ok else 1
        time.sleep(1)
    print(f"brief: still pending after {timeout:.0f} s")
    return 1


def ready(base: str, expected: int, failing: str) -> int:
    client = Client(base)
    status, _h, body, _u = client.get("/readyz")
    answer = json.loads(body)
    print(f"readyz: {status} {json.dumps(answer, sort_keys=True)}")
    if status != expected:
        return 1
    if failing and not set(failing.split(",")) <= set(answer.get("failing", [])):
        return 1
    status, _h, body, _u = client.get("/healthz")
    return 0 if status == 200 and json.loads(body) == {"status": "ok"} else 1


def pages(base: str) -> int:
    client = Client(base)
    paths = ["/", "/convenings/", "/recommendations/", "/recommendations/?q=youth", "/organizations/", "/letters/"]
    _s, _h, listing, _u = client.get("/convenings/")
    paths += sorted(set(re.findall(r'href="(/convenings/[a-z0-9-]+/)"', listing.decode())))[:3]
    failures = [f"{status} {path}" for path in paths if (status := client.get(path)[0]) != 200]
    print(
        f"public pages: {len(paths) - len(failures)}/{len(paths)} answered 200" + "".join(f"\n  {f}" for f in failures)
    )
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("crawl", "brief", "ready", "pages"):
        command = sub.add_parser(name)
        command.add_argument("base")
    sub.choices["crawl"].add_argument("--login")
    sub.choices["brief"].add_argument("slug")
    sub.choices["ready"].add_argument("--status", type=int, required=True)
    sub.choices["ready"].add_argument("--failing", default="")
    args = parser.parse_args()
    if args.command == "crawl":
        return crawl(args.base, args.login)
    if args.command == "brief":
        return brief(args.base, args.slug)
    if args.command == "ready":
        return ready(args.base, args.status, args.failing)
    return pages(args.base)


if __name__ == "__main__":
    sys.exit(main())
