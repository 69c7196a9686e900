"""Attack inputs in every user field that reaches a PDF: nothing is read, nothing is fetched."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from events.models import Convening
from events.tests.factories import (
    ConveningFactory,
    FootnoteFactory,
    KeyThemeFactory,
    NextStepFactory,
    ParagraphFactory,
    ParticipationFactory,
    SessionFactory,
)
from organizations.tests.factories import OrganizationFactory
from publications import render, services
from publications.fetcher import STATIC_ORIGIN, ForbiddenURL, SafeURLFetcher
from publications.models import Audience, RenderedDocument
from publications.tests.helpers import pdf_metadata, pdf_text
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    SubItemFactory,
    ThemeFactory,
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


def _attacks(base: str) -> str:
    return (
        "![passwd](file:///etc/passwd) "
        '<img src="file:///etc/passwd" alt="x"> '
        '<a rel="attachment" href="file:///etc/passwd">attached</a> '
        f'<link rel="stylesheet" href="{base}/evil.css"> '
        f'<img src="{base}/tracker.png"> '
        f"![pixel]({base}/pixel.png) "
        f'<style>@import url("{base}/import.css");</style> '
        f'<div style="background: url({base}/bg.png)">styled</div>'
    )


def _hostile_convening(base: str) -> tuple[Convening, Any, Any]:
    attack = _attacks(base)
    short = attack[:280]
    convening = ConveningFactory.create(
        title=short,
        summary_title=attack[:200],
        overview=attack,
        disclaimer=attack,
        host_conference=short,
        venue=attack[:200],
        city=attack[:100],
    )
    KeyThemeFactory.create(convening=convening, order=1, text=attack)
    session = SessionFactory.create(convening=convening, order=1, title=short)
    ParagraphFactory.create(convening=convening, session=session, number=1, text=f"{attack}[^1]")
    FootnoteFactory.create(convening=convening, number=1, text=attack)
    organization = OrganizationFactory.create(name=attack[:200], country=attack[:100])
    ParticipationFactory.create(convening=convening, organization=organization)
    step = NextStepFactory.create(convening=convening, text=attack)
    step.owners.set([organization])
    theme = ThemeFactory.create(name=attack[:120], slug="hostile", description=attack)
    rec = RecommendationFactory.create(convening=convening, number=1, headline=attack[:500], body=attack)
    rec.themes.set([theme])
    rec.addressees.set([AddresseeFactory.create(name=attack[:160], slug="hostile-addressee")])
    SubItemFactory.create(recommendation=rec, letter="a", text=attack)
    EndorsementFactory.create(recommendation=rec, organization=organization)
    letter = LetterFactory.create(title=attack[:300], body=attack, convening=convening)
    letter.recommendations.set([rec])
    EndorsementFactory.create(recommendation=None, letter=letter, organization=organization)
    return convening, theme, letter


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.SECRETARIAT])
def test_attack_inputs_reach_no_file_and_no_server(
    db: None, local_server: tuple[str, list[str]], audience: str
) -> None:
    base, requests = local_server
    convening, theme, letter = _hostile_convening(base)
    documents = [
        (RenderedDocument.Kind.SUMMARY, convening),
        (RenderedDocument.Kind.BRIEF, convening),
        (RenderedDocument.Kind.BRIEF, theme),
        (RenderedDocument.Kind.LETTER, letter),
    ]

    pdfs = []
    for kind, obj in documents:
        data = services.document_data(kind=kind, obj=obj, audience=audience)
        pdfs.append(services.render_bytes(kind=kind, data=data, audience=audience).pdf)

    leaked = [
        pdf
        for pdf in pdfs
        if "root:" in pdf_text(pdf) or "root:" in str(pdf_metadata(pdf)) or PdfReader(io.BytesIO(pdf)).attachments
    ]
    assert (len(pdfs), leaked, requests) == (4, [], [])


def test_fetcher_refuses_files_network_and_escapes(local_server: tuple[str, list[str]]) -> None:
    base, requests = local_server
    fetcher = SafeURLFetcher()
    refused = []
    for url in (
        "file:///etc/passwd",
        f"{base}/x.png",
        "http://169.254.169.254/latest/meta-data/",
        f"{STATIC_ORIGIN}../../../../etc/passwd",
        f"{STATIC_ORIGIN}%2e%2e/%2e%2e/etc/passwd",
        "ftp://127.0.0.1/x",
        "https://static.gsx.invalid.example.org/publications/pdf.css",
    ):
        try:
            fetcher.fetch(url)
        except ForbiddenURL:
            refused.append(url)

    assert (len(refused), requests) == (7, [])


def test_fetcher_allows_our_static_files_and_data_uris() -> None:
    fetcher = SafeURLFetcher()

    css = fetcher.fetch(f"{STATIC_ORIGIN}publications/pdf.css")
    qr = fetcher.fetch(render.qr_data_uri("https://gsx.example/"))

    assert (css.content_type, b"@page" in css.read(), qr.content_type) == ("text/css", True, "image/svg+xml")
