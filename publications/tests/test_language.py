"""A PDF is cached per language, and says which language it is in (issue 12, item 7)."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from django.test import Client

from publications.models import RenderedDocument
from publications.tests.helpers import convening_with, pdf_text

pytestmark = pytest.mark.django_db


def _download(client: Client, url: str, capture: Any, language: str) -> bytes:
    with capture(execute=True):
        client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a FileResponse


def _languages(pdf: bytes) -> tuple[str, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    root: Any = reader.trailer["/Root"]
    return str(root["/Lang"]), list((xmp.dc_language if xmp else None) or [])


def test_a_russian_readers_brief_is_not_served_to_english_or_french_readers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    convening = convening_with(2)
    url = f"/convenings/{convening.slug}/brief.pdf"

    russian = _download(Client(), url, django_capture_on_commit_callbacks, "ru")
    english = _download(Client(), url, django_capture_on_commit_callbacks, "en")
    french = _download(Client(), url, django_capture_on_commit_callbacks, "fr")

    assert sorted(RenderedDocument.objects.values_list("language", flat=True)) == ["en", "fr", "ru"]
    assert _languages(russian) == ("ru", ["ru"])
    assert _languages(english) == ("en", ["en"])
    assert _languages(french) == ("fr", ["fr"])


def test_summary_pdf_declares_the_language_it_was_rendered_in(django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(1)

    pdf = _download(Client(), f"/convenings/{convening.slug}/summary.pdf", django_capture_on_commit_callbacks, "fr")

    assert _languages(pdf) == ("fr", ["fr"])


def test_a_russian_brief_declines_its_figures_after_the_number(django_capture_on_commit_callbacks: Any) -> None:
    # The figures are the home page's ("in figures"), not the model's name: 5 takes the genitive plural.
    convening = convening_with(5)

    russian = _download(Client(), f"/convenings/{convening.slug}/brief.pdf", django_capture_on_commit_callbacks, "ru")

    assert "5 рекомендаций" in pdf_text(russian)
