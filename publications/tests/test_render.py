from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.utils.formats import date_format

from conftest import vienna_convening
from events.models import Convening
from publications import brief_fit, render, selectors
from publications.documents import BriefData, LetterData, RecommendationEntry
from publications.models import Audience
from publications.tests.helpers import (
    LONG_HEADLINE,
    compact,
    convening_with,
    pdf_metadata,
    pdf_pages,
    pdf_text,
    squash,
)
from recommendations.models import Recommendation
from recommendations.tests.factories import (
    EndorsementFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    SubItemFactory,
)


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
def test_brief_is_exactly_one_page_in_one_layout(db: None, count: int, long: bool) -> None:
    convening = convening_with(count, long=long)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    rendered = render.render_brief_document(data, audience=Audience.PUBLIC)

    assert (pdf_pages(rendered.pdf), rendered.pages, rendered.layouts) == (1, 1, 1)


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


def test_brief_gives_status_with_its_date_addressees_and_counts_without_names(db: None) -> None:
    convening = convening_with(2)
    first = convening.recommendations.get(number=1)
    StatusUpdateFactory.create(recommendation=first, status="submitted", date=dt.date(2026, 2, 3))
    first.status = "submitted"
    first.save(update_fields=["status"])
    EndorsementFactory.create(recommendation=first, organization__name="Named Endorser Org")
    EndorsementFactory.create(recommendation=first, organization__name="Quiet Endorser Org", is_named=False)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    text = pdf_text(render.render_brief(data, audience=Audience.PUBLIC))

    assert [
        f"{convening.code}/R1" in text,
        f"Submitted · last update {date_format(dt.date(2026, 2, 3))} · 2 endorsements · to Donors, Participating States"
        in text,
        f"Proposed · last update {date_format(convening.start_date)} · to CSOs, Donors, Participating States" in text,
        "0 endorsement" in text,
        "Endorser Org" in text,
        data.url in text,
    ] == [True, True, True, False, False, True]


def test_brief_gives_each_recommendation_its_ask(db: None) -> None:
    convening = convening_with(0)
    RecommendationFactory.create(
        convening=convening, number=1, body="Fund *local* groups for five years.[^1] Then review what worked."
    )
    lead_in = RecommendationFactory.create(convening=convening, number=2, body="Such efforts could include:")
    SubItemFactory.create(
        recommendation=lead_in, letter="a", text="Translating resources into local languages, so that"
    )
    SubItemFactory.create(recommendation=lead_in, letter="b", text="Mentoring new organizations.")
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    text = pdf_text(render.render_brief(data, audience=Audience.PUBLIC))

    assert [
        "Fund local groups for five years." in text,
        "Then review" in text,
        "(a) Translating resources into local languages; (b) Mentoring new organizations" in text,
        "could include" in text,
    ] == [True, False, True, False]


def test_vienna_brief_carries_the_asks_in_one_layout_without_a_version_label(vienna: Convening) -> None:
    data = selectors.convening_brief_data(convening=vienna, audience=Audience.PUBLIC)

    rendered = render.render_brief_document(data, audience=Audience.PUBLIC)

    text = squash(pdf_text(rendered.pdf))
    meta = pdf_metadata(rendered.pdf)
    asks = [
        brief_fit.ask_text(rec.body, [(item.letter, item.text) for item in rec.sub_items], headline=rec.headline)
        for rec in data.recommendations
    ]
    assert (rendered.pages, rendered.layouts, meta["/GSXLayouts"]) == (1, 1, "1")
    assert (meta["/GSXVersion"], "Version" in text) == (str(vienna.content_version), False)
    assert [" ".join(ask.split()[:4]) in text for ask in asks] == [True] * 13


def test_brief_that_the_plan_overfills_is_laid_out_again_to_one_page(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # A plan 60 mm too generous, as for a script whose glyphs are wider than Liberation Sans.
    monkeypatch.setattr(brief_fit, "SAFETY", -60.0)
    convening = convening_with(40, long=True)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    rendered = render.render_brief_document(data, audience=Audience.PUBLIC)

    assert (pdf_pages(rendered.pdf), rendered.layouts > 1) == (1, True)


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.SECRETARIAT])
@pytest.mark.parametrize("count", [1, 5])
def test_brief_plan_predicts_the_layouts_height(db: None, audience: str, count: int) -> None:
    convening = convening_with(count, host_conference="A conference that the brief quotes as its lead-in line.")
    data = selectors.convening_brief_data(convening=convening, audience=audience)
    text = render._brief_text(data, audience=audience, intro=render.brief_intro(data.intro))
    qr = render.qr_data_uri(data.url)

    errors = []
    for density in brief_fit.DENSITIES:
        html = render._brief_html(data, audience=audience, text=text, density=density, count=count, qr=qr)
        errors.append(round(brief_fit.predict(text, density, count) - _content_height(render._layout(html)), 1))

    assert errors == [0.0] * len(brief_fit.DENSITIES)


def _content_height(layout: Any) -> float:
    """The height in mm of what the brief's one page holds, from WeasyPrint's boxes (CSS px)."""
    page = layout.pages[0]._page_box
    html = next(child for child in page.children if getattr(child, "element_tag", None) == "html")
    return float(html.position_y + html.margin_height() - page.content_box_y()) * 25.4 / 96


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
