from __future__ import annotations

import logging

import pytest

from conftest import vienna_convening
from events.models import Convening
from publications import render, selectors
from publications.documents import BriefData, LetterData, RecommendationEntry
from publications.models import Audience
from publications.tests.helpers import (
    LONG_HEADLINE,
    compact,
    convening_with,
    pdf_metadata,
    pdf_pages,
    pdf_text,
)
from recommendations.models import Recommendation


@pytest.fixture
def vienna(db: None) -> Convening:
    return vienna_convening()


def _summary_text(convening: Convening) -> str:
    """The summary's text without whitespace (see ``compact``)."""
    data = selectors.convening_summary_data(convening=convening, audience=Audience.PUBLIC)
    return compact(pdf_text(render.render_summary(data, audience=Audience.PUBLIC)))


def test_summary_holds_every_vienna_headline_with_its_number(vienna: Convening) -> None:
    text = _summary_text(vienna)

    missing = [
        rec.number
        for rec in vienna.recommendations.order_by("number")
        if compact(f"{rec.number}. {rec.headline}") not in text
    ]

    assert (vienna.recommendations.count(), missing) == (13, [])


def test_summary_holds_every_vienna_sub_item_letter(vienna: Convening) -> None:
    text = _summary_text(vienna)
    recommendations = Recommendation.objects.filter(convening=vienna).prefetch_related("sub_items")

    expected = {(r.number, i.letter) for r in recommendations for i in r.sub_items.all()}
    found = {
        (r.number, i.letter)
        for r in recommendations
        for i in r.sub_items.all()
        if compact(f"{i.letter}. {' '.join(i.text.split()[:4])}") in text
    }

    assert (len(expected), found) == (18, expected)


def test_summary_holds_paragraph_numbers_1_to_31(vienna: Convening) -> None:
    text = _summary_text(vienna)

    found = [
        p.number
        for p in vienna.paragraphs.order_by("number")
        if compact(f"{p.number}. {' '.join(p.text.split()[:3])}") in text
    ]

    assert found == list(range(1, 32))


def test_summary_holds_both_vienna_footnotes(vienna: Convening) -> None:
    text = _summary_text(vienna)

    notes = [compact(note.text) in text for note in vienna.footnotes.order_by("number")]

    assert notes == [True, True]


def test_summary_is_tagged_with_title_and_language(vienna: Convening) -> None:
    data = selectors.convening_summary_data(convening=vienna, audience=Audience.PUBLIC)

    meta = pdf_metadata(render.render_summary(data, audience=Audience.PUBLIC))

    assert (meta["/Lang"], meta["/StructTreeRoot"], "Marked" in meta["/MarkInfo"], "pdfuaid" in meta["xmp"]) == (
        "en",
        "True",
        True,
        True,
    )
    assert meta["/Title"] == f"Meeting Summary and Recommendations – {vienna.title}"


@pytest.mark.parametrize("count", [1, 5, 13, 40])
@pytest.mark.parametrize("long", [False, True])
def test_brief_is_exactly_one_page(db: None, count: int, long: bool) -> None:
    convening = convening_with(count, long=long)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    pdf = render.render_brief(data, audience=Audience.PUBLIC)

    assert pdf_pages(pdf) == 1


def test_brief_names_how_many_more_it_could_not_fit(db: None) -> None:
    convening = convening_with(40, long=True)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    text = pdf_text(render.render_brief(data, audience=Audience.PUBLIC))

    shown = sum(1 for n in range(1, 41) if f"{convening.code}/R{n} " in text)
    assert 0 < shown < 40
    assert f"and {40 - shown} more at {data.url}" in text


def test_brief_never_cuts_a_headline(db: None) -> None:
    convening = convening_with(13, long=True)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    text = pdf_text(render.render_brief(data, audience=Audience.PUBLIC))

    shown = [n for n in range(1, 14) if f"{convening.code}/R{n} " in text]
    whole = [n for n in shown if f"{LONG_HEADLINE} (item {n})" in text or f"measure number {n}" in text]
    assert shown == whole


def test_brief_holds_references_statuses_counts_and_url(db: None) -> None:
    convening = convening_with(2)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    text = pdf_text(render.render_brief(data, audience=Audience.PUBLIC))

    assert [f"{convening.code}/R1" in text, "Proposed" in text, "0 endorsements" in text, data.url in text] == [
        True
    ] * 4


def test_brief_intro_keeps_whole_sentences_only() -> None:
    text = "First sentence is short. " + "Second one is much longer than the limit allows, " * 10 + "end."

    assert render.brief_intro(text) == "First sentence is short."


def test_letter_lists_named_signatories_and_counts_the_others() -> None:
    data = LetterData(
        title="To the Secretary-General",
        reference="letter-sg",
        url="https://gsx.example/letters/sg/",
        version="abc",
        as_of="1 March 2026",
        addressee="UN Secretary-General",
        body="We ask you to act.",
        signatories=[selectors.SignatoryEntry(name="Riverbank Youth Forum", country="Kenya")],
        unnamed_count=3,
    )

    text = pdf_text(render.render_letter(data, audience=Audience.PUBLIC))

    assert ["UN Secretary-General" in text, "Riverbank Youth Forum" in text, "and 3 further organizations" in text] == [
        True,
        True,
        True,
    ]


def test_fonts_are_subset_with_harfbuzz(caplog: pytest.LogCaptureFixture) -> None:
    data = BriefData(
        title="Fonts",
        reference="F",
        url="https://gsx.example/",
        version="1",
        as_of="today",
        recommendations=[RecommendationEntry(number=1, reference="F/R1", headline="Subset me")],
    )

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render.render_brief(data, audience=Audience.PUBLIC)

    assert render.harfbuzz_subsetter_available() is True
    assert [r.message for r in caplog.records if "fontTools" in r.message] == []
