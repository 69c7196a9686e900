"""Building convenings for PDF tests, and reading PDFs back (text, pages, metadata)."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from events.models import Convening
from events.tests.factories import (
    ConveningFactory,
    FootnoteFactory,
    ParagraphFactory,
    ParticipationFactory,
    SessionFactory,
)
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory, SubItemFactory


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed, so wrapped lines read as one."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_metadata(pdf: bytes) -> dict[str, Any]:
    reader = PdfReader(io.BytesIO(pdf))
    info = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    root: Any = reader.trailer["/Root"]
    info["/Lang"] = str(root.get("/Lang", ""))
    info["/MarkInfo"] = str(root.get("/MarkInfo", ""))
    info["/StructTreeRoot"] = str("/StructTreeRoot" in root)
    info["xmp"] = reader.xmp_metadata.stream.get_data().decode("utf-8", "replace") if reader.xmp_metadata else ""
    return info


def squash(text: str) -> str:
    return " ".join(text.split())


def compact(text: str) -> str:
    """Without any whitespace: a line may wrap after "P/" or a hyphen, where the source had none."""
    return "".join(text.split())


LONG_HEADLINE = (
    "Provide civil-society organizations working on prevention with the legal and political space, the security "
    "protections and the long-term, flexible funding they need to design, run and evaluate community-led "
    "programmes, and involve them throughout the policymaking cycle rather than only at its end, so that their "
    "knowledge of local contexts shapes national strategies and action plans"
)


def convening_with(recommendations: int, *, long: bool = False, **fields: Any) -> Convening:
    """A published convening with numbered recommendations; ``long`` gives every other one a long headline."""
    convening = ConveningFactory.create(**fields)
    addressees = [
        AddresseeFactory.create(name=name, slug=f"a-{i}")
        for i, name in enumerate(("Participating States", "Donors", "CSOs"))
    ]
    for number in range(1, recommendations + 1):
        headline = f"{LONG_HEADLINE} (item {number})" if long and number % 2 else f"Strengthen measure number {number}"
        rec = RecommendationFactory.create(convening=convening, number=number, headline=headline[:500])
        rec.addressees.set(addressees[: 1 + number % 3])
    return convening


def summary_convening(**fields: Any) -> Convening:
    """A small convening with every part of a summary."""
    convening = ConveningFactory.create(summary_title="Meeting Summary and Recommendations", **fields)
    session = SessionFactory.create(convening=convening, order=1, title="Opening Session")
    ParagraphFactory.create(convening=convening, session=session, number=1, text="Participants met.[^1]")
    FootnoteFactory.create(convening=convening, number=1, text="A note at the foot of the page.")
    rec = RecommendationFactory.create(convening=convening, number=1, headline="Invest in trust")
    SubItemFactory.create(recommendation=rec, letter="a", text="Local safety councils;")
    ParticipationFactory.create(convening=convening)
    return convening


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
