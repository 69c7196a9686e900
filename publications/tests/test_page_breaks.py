"""No recommendation headline is left alone at the foot of a page of the summary PDF (Vienna's R13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string

from conftest import vienna_convening
from publications import render, services
from publications.documents import SummaryData

pytestmark = pytest.mark.django_db


def _pages_of_each_recommendation(layout: Any) -> dict[str, dict[str, int]]:
    """rec id -> first page of its headline and of the first block after its reference."""
    found: dict[str, dict[str, int]] = {}

    def walk(box: Any, page: int, rec: str | None) -> None:
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", None)
        if element is not None and tag == "div" and element.get("class") == "rec":
            rec = element.get("id")
        if rec and element is not None and tag in ("h3", "p", "ol", "ul"):
            part = "headline" if tag == "h3" else "reference" if element.get("class") == "ref" else "text"
            found.setdefault(rec, {}).setdefault(part, page)
        for child in getattr(box, "children", ()):
            walk(child, page, rec)

    for index, page in enumerate(layout.pages):
        walk(page._page_box, index, None)
    return found


def test_summary_keeps_each_headline_and_reference_with_their_text() -> None:
    convening = vienna_convening()
    data = services.document_data(kind="summary", obj=convening, audience="public")
    assert isinstance(data, SummaryData)
    html = render_to_string("publications/pdf/summary.html", render._summary_context(data, audience="public"))

    pages = _pages_of_each_recommendation(render._layout(html))

    assert len(pages) == 13
    stranded = {rec: parts for rec, parts in pages.items() if len(set(parts.values())) > 1}
    assert stranded == {}
