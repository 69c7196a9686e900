"""Content-Security-Policy allows only our own origin, and no page needs more.

Two checks: every template of ours holds no inline script, event handler or inline style (so
CSP's 'self' can hold), and a crawl of the pages as anonymous, CSO member and secretariat (admin
included) finds the headers on every answer and no inline code in what was rendered, our
templates and Django's, django-simple-history's and nested-admin's alike.
"""

from __future__ import annotations

import io
import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from conftest import totp_device_for

ROOT = Path(__file__).resolve().parents[2]
# E-mails are not pages (mail clients need inline styles); PDFs never reach a browser as HTML.
NOT_PAGES = ("email/", "pdf/")

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=|<style\b", re.I)
# nested-admin's buttons are links to "javascript://" (a comment: nothing runs; its script handles
# the click and prevents the navigation), which CSP does not need to allow.
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:(?!//["']|void\(0\)["'])""", re.I)
LINK = re.compile(r"""(?:href|hx-get)="(/[^"#]*)""")
# Links a crawl must not follow: they change state on GET elsewhere, or are files, not pages.
SKIP = re.compile(r"^/(static|media|i18n|_nested_admin)/|\.(pdf|csv|xlsx|ics|json)$|/logout|/delete/|/export")
MAX_PAGES = 120


def _inline_code(html: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("event handler", EVENT_HANDLER),
        ("inline style", INLINE_STYLE),
        ("javascript: URL", JAVASCRIPT_URL),
    ):
        found += [f"{name}: {match.group(0)[:80]}" for match in pattern.finditer(html)]
    return found


def test_no_page_template_has_inline_script_or_style() -> None:
    offenders = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if any(part in relative for part in NOT_PAGES):
            continue
        problems = _inline_code(path.read_text())
        if problems:
            offenders[relative] = problems

    assert offenders == {}


def test_security_headers_on_a_page(client: Client, db: None) -> None:
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def _crawl(client: Client, starts: list[str]) -> dict[str, list[str]]:
    seen: set[str] = set()
    queue = deque(starts)
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        found = [] if "Content-Security-Policy" in response else ["no Content-Security-Policy header"]
        if response["Content-Type"].startswith("text/html") and not getattr(response, "streaming", False):
            html = response.content.decode()
            found += _inline_code(html)
            for link in LINK.findall(html):
                path = link.replace("&amp;", "&")
                # One page per kind is enough: don't walk every filter combination or page number.
                if "?" not in path and path not in seen:
                    queue.append(path)
        if found:
            problems[url] = found
    assert len(seen) > 20, seen
    return problems


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("persona", ["anonymous", "cso", "secretariat"])
def test_crawled_pages_carry_csp_and_no_inline_code(demo: None, persona: str) -> None:
    client = Client()
    starts = ["/", "/convenings/", "/recommendations/", "/organizations/", "/tracking/", "/letters/"]
    if persona != "anonymous":
        user = User.objects.get(username=persona)
        if user.is_staff:
            totp_device_for(user)  # staff pass a second factor; force_login then verifies with it
        client.force_login(user)
        starts += ["/my-organization/", "/tracking/following/"]
    if persona == "secretariat":
        starts += ["/secretariat/", "/secretariat/import/", "/admin/"]
    else:
        starts += ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/no-such-page/"]

    assert _crawl(client, starts) == {}
