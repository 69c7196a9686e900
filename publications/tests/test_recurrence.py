"""'First asked in 2017' beside a restated recommendation, in briefs and summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import vienna_convening
from events.models import Convening
from events.services import convening_unpublish
from events.tests.factories import ConveningFactory
from publications import brief_fit, render, selectors
from publications.models import Audience
from publications.tests.helpers import compact, convening_with, pdf_pages, pdf_text
from recommendations.models import Recommendation, RecommendationLink
from recommendations.services import recommendation_link_create
from recommendations.tests.factories import RecommendationFactory, RecommendationLinkFactory


def _earlier(status: str = Convening.Status.PUBLISHED, year: int = 2017) -> Recommendation:
    convening = ConveningFactory.create(code=f"CSD-{year}-OLD", start_date=dt.date(year, 5, 1), status=status)
    return RecommendationFactory.create(convening=convening, number=3, headline="Translate the materials")


def _restating(count: int, *, earlier: Recommendation, long: bool = False) -> Convening:
    """A 2025 convening whose every recommendation restates ``earlier``."""
    convening = convening_with(count, long=long)
    for rec in convening.recommendations.all():
        RecommendationLinkFactory.create(from_recommendation=rec, to_recommendation=earlier)
    return convening


@pytest.mark.parametrize("count", [1, 13, 40])
@pytest.mark.parametrize("long", [False, True])
def test_brief_says_first_asked_and_stays_one_page_in_one_layout(db: None, count: int, long: bool) -> None:
    convening = _restating(count, earlier=_earlier(), long=long)
    data = selectors.convening_brief_data(convening=convening, audience=Audience.PUBLIC)

    rendered = render.render_brief_document(data, audience=Audience.PUBLIC)

    text = pdf_text(rendered.pdf)
    assert (pdf_pages(rendered.pdf), rendered.layouts, "Proposed · first asked in 2017 · last update" in text) == (
        1,
        1,
        True,
    )


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.SECRETARIAT])
def test_brief_plan_predicts_the_height_with_first_asked(db: None, audience: str) -> None:
    convening = _restating(5, earlier=_earlier())
    data = selectors.convening_brief_data(convening=convening, audience=audience)
    text = render._brief_text(data, audience=audience, intro=render.brief_intro(data.intro))
    qr = render.qr_data_uri(data.url)

    errors = []
    for density in brief_fit.DENSITIES:
        html = render._brief_html(data, audience=audience, text=text, density=density, count=5, qr=qr)
        page = render._layout(html).pages[0]._page_box
        root = next(child for child in page.children if getattr(child, "element_tag", None) == "html")
        height = float(root.position_y + root.margin_height() - page.content_box_y()) * 25.4 / 96
        errors.append(round(brief_fit.predict(text, density, 5) - height, 1))

    assert (errors, all(item.facts.startswith("Proposed · first asked in 2017") for item in text.items)) == (
        [0.0] * len(brief_fit.DENSITIES),
        True,
    )


def test_vienna_restated_shows_in_the_later_brief_and_summary_not_in_viennas(db: None) -> None:
    vienna = vienna_convening()
    original = vienna.recommendations.get(number=3)
    later = convening_with(2)
    RecommendationLinkFactory.create(
        from_recommendation=later.recommendations.get(number=2), to_recommendation=original
    )

    later_brief = pdf_text(
        render.render_brief(
            selectors.convening_brief_data(convening=later, audience=Audience.PUBLIC), audience=Audience.PUBLIC
        )
    )
    later_summary = compact(
        pdf_text(
            render.render_summary(
                selectors.convening_summary_data(convening=later, audience=Audience.PUBLIC), audience=Audience.PUBLIC
            )
        )
    )
    vienna_brief = pdf_text(
        render.render_brief(
            selectors.convening_brief_data(convening=vienna, audience=Audience.PUBLIC), audience=Audience.PUBLIC
        )
    )

    assert (
        later_brief.count("first asked in 2017"),
        compact(f"First asked in 2017 ({original.reference})") in later_summary,
        "first asked" in vienna_brief,
    ) == (1, True, False)


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.SECRETARIAT])
def test_a_draft_never_makes_a_recommendation_first_asked(db: None, audience: str) -> None:
    # A published 2025 recommendation restating a 2017 draft, and one restating a 2019 draft
    # that restates a published 2015 one: neither draft's year, nor the chain through it, shows.
    draft = _earlier(status=Convening.Status.DRAFT)
    middle = _earlier(status=Convening.Status.DRAFT, year=2019)
    oldest = _earlier(year=2015)
    RecommendationLinkFactory.create(from_recommendation=middle, to_recommendation=oldest)
    convening = convening_with(2)
    RecommendationLinkFactory.create(
        from_recommendation=convening.recommendations.get(number=1), to_recommendation=draft
    )
    RecommendationLinkFactory.create(
        from_recommendation=convening.recommendations.get(number=2), to_recommendation=middle
    )

    brief = pdf_text(
        render.render_brief(selectors.convening_brief_data(convening=convening, audience=audience), audience=audience)
    )
    summary = pdf_text(
        render.render_summary(
            selectors.convening_summary_data(convening=convening, audience=audience), audience=audience
        )
    )

    assert ["irst asked" in brief, "irst asked" in summary, "CSD-2017-OLD" in summary + brief] == [False] * 3


def test_a_draft_convening_is_never_first_asked_for_its_restatements(db: None) -> None:
    # The draft here is the later one: its link is not published, so the earlier one is not "restated" either.
    earlier = _earlier()
    draft = convening_with(1, status=Convening.Status.DRAFT)
    RecommendationLinkFactory.create(from_recommendation=draft.recommendations.get(), to_recommendation=earlier)

    asks = selectors.first_asks(list(Recommendation.objects.filter(convening=draft)))

    assert asks == {}


def _version(convening: Convening) -> int:
    return int(Convening.objects.values_list("content_version", flat=True).get(pk=convening.pk))


def test_a_link_higher_up_the_chain_makes_the_later_convenings_documents_stale(db: None) -> None:
    # 2025 restates 2019 already; linking 2019 to 2017 changes what 2025's brief prints
    # ("first asked in 2017", not 2019), though 2025 is neither end of the new link.
    oldest, middle = _earlier(year=2017), _earlier(year=2019)
    latest = _restating(1, earlier=middle)
    before = _version(latest)

    recommendation_link_create(
        from_recommendation=middle, to_recommendation=oldest, kind=RecommendationLink.Kind.RESTATES, user=None
    )
    asks = selectors.first_asks(list(latest.recommendations.all()))

    assert _version(latest) > before
    assert [a.year for a in asks.values()] == ["2017"]


def test_unpublishing_the_first_ask_makes_the_chains_other_documents_stale(
    db: None, django_capture_on_commit_callbacks
) -> None:
    oldest, middle = _earlier(year=2017), _earlier(year=2019)
    RecommendationLinkFactory.create(from_recommendation=middle, to_recommendation=oldest)
    latest = _restating(1, earlier=middle)
    unrelated = convening_with(1)
    before = (_version(latest), _version(middle.convening), _version(unrelated))

    with django_capture_on_commit_callbacks(execute=True):
        convening_unpublish(convening=oldest.convening)
    asks = selectors.first_asks(list(latest.recommendations.all()))

    assert _version(latest) > before[0] and _version(middle.convening) > before[1]
    assert _version(unrelated) == before[2]
    assert [a.year for a in asks.values()] == ["2019"]
