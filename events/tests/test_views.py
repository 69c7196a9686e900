"""The public convening pages: home, the convening list and a convening read like its document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import OUTSIDE_SECRETARIAT, PERSONAS, SEES_PARTICIPATIONS, assert_ignored_notice, client_for
from events.models import Convening, Participation
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
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, SubItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- Home --------------------------------------------------------------------------------------


def test_home_shows_search_latest_convenings_and_figures() -> None:
    convening = ConveningFactory.create(title="Day on Trust")
    RecommendationFactory.create_batch(3, convening=convening)
    ConveningFactory.create(title="Hidden Draft", status=Convening.Status.DRAFT)

    response = Client().get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html
    assert "Day on Trust" in html
    assert "Hidden Draft" not in html
    assert response.context["figures"].recommendations == 3
    assert response.context["figures"].convenings == 1


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_home_leaves_out_drafts_and_unnamed_endorsers(persona) -> None:
    draft = RecommendationFactory.create(headline="Draft proposal", convening__status=Convening.Status.DRAFT)
    EndorsementFactory.create_batch(3, recommendation=draft)
    published = RecommendationFactory.create(headline="Published proposal")
    EndorsementFactory.create(recommendation=published, organization__name="Hidden Org", is_named=False)

    response = client_for(persona).get("/")

    html = response.content.decode()
    assert [r.headline for r in response.context["most_endorsed"]] == ["Published proposal"]
    assert "Draft proposal" not in html
    assert "Hidden Org" not in html
    assert response.context["figures"].endorsements == 1


def test_home_lists_most_endorsed_recommendations_first() -> None:
    quiet = RecommendationFactory.create(headline="Quiet proposal")
    popular = RecommendationFactory.create(headline="Popular proposal")
    EndorsementFactory.create_batch(3, recommendation=popular)
    EndorsementFactory.create(recommendation=quiet)

    response = Client().get("/")

    assert [r.headline for r in response.context["most_endorsed"]] == ["Popular proposal", "Quiet proposal"]


@pytest.mark.parametrize("count", [1, 20])
def test_home_runs_constant_queries(count: int, django_assert_max_num_queries) -> None:
    for _ in range(count):
        recommendation = RecommendationFactory.create()
        recommendation.themes.add(ThemeFactory.create())
        EndorsementFactory.create(recommendation=recommendation)

    # 9 on a cold cache: the counts come from tallies (issue 17), and the endorsements' total is
    # summed apart from the other figures, so that after an endorsement only it is counted again.
    with django_assert_max_num_queries(9):
        response = Client().get("/")

    assert response.status_code == 200


# --- Convening list ----------------------------------------------------------------------------


def test_convening_list_filters_by_year_kind_country_and_series() -> None:
    ConveningFactory.create(title="Vienna 2017", start_date=dt.date(2017, 5, 25), country="Austria")
    ConveningFactory.create(
        title="New York 2017", start_date=dt.date(2017, 6, 20), country="USA", kind=Convening.Kind.ROUNDTABLE
    )
    ConveningFactory.create(title="Geneva 2025", start_date=dt.date(2025, 10, 14), country="Switzerland")
    ConveningFactory.create(title="Other series", start_date=dt.date(2017, 1, 1), series="OTHER")

    response = Client().get("/convenings/?year=2017&kind=civil_society_day&country=austria&series=gsx")

    assert [c.title for c in response.context["convenings"]] == ["Vienna 2017"]


def test_convening_list_counts_each_facet_with_the_other_filters() -> None:
    ConveningFactory.create(start_date=dt.date(2017, 5, 25), country="Austria")
    ConveningFactory.create(start_date=dt.date(2017, 6, 20), country="USA")
    ConveningFactory.create(start_date=dt.date(2025, 10, 14), country="Austria")

    response = Client().get("/convenings/?year=2017")

    facets = response.context["facets"]
    assert {(o.value, o.count, o.selected) for o in facets.year} == {("2017", 2, True), ("2025", 1, False)}
    assert {(o.value, o.count) for o in facets.country} == {("Austria", 1), ("USA", 1)}


@pytest.mark.parametrize(
    ("query", "ignored", "listed"),
    [
        ("year=abc", ["Year"], ["Still here"]),
        ("kind=nonsense", ["Kind"], ["Still here"]),
        ("page=999999", [], ["Still here"]),
        ("country=%22%3Cscript%3E", [], []),
        ("year=99999999999999999999", ["Year"], ["Still here"]),
    ],
)
def test_convening_list_survives_bad_input(query: str, ignored: list[str], listed: list[str]) -> None:
    ConveningFactory.create(title="Still here")

    response = Client().get(f"/convenings/?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    assert [c.title for c in response.context["convenings"]] == listed
    assert_ignored_notice(response, ignored)


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_convening_list_hides_drafts_from_everyone_outside_the_secretariat(persona) -> None:
    ConveningFactory.create(title="Published day")
    ConveningFactory.create(title="Draft day", status=Convening.Status.DRAFT)

    response = client_for(persona).get("/convenings/")

    assert [c.title for c in response.context["convenings"]] == ["Published day"]


def test_convening_list_shows_drafts_to_the_secretariat(secretariat) -> None:
    ConveningFactory.create(title="Draft day", status=Convening.Status.DRAFT)

    response = client_for(secretariat).get("/convenings/")

    assert [c.title for c in response.context["convenings"]] == ["Draft day"]


@pytest.mark.parametrize("count", [1, 20])
def test_convening_list_runs_constant_queries(count: int, django_assert_max_num_queries) -> None:
    for _ in range(count):
        RecommendationFactory.create()

    with django_assert_max_num_queries(4):
        response = Client().get("/convenings/")

    assert len(response.context["convenings"]) == count


# --- Convening page ----------------------------------------------------------------------------


def build_convening(*, recommendations: int = 2, sub_items: int = 2, paragraphs: int = 30) -> Convening:
    convening = ConveningFactory.create(
        title="Civil Society Day",
        overview="An overview.[^1]",
        host_conference="A Big Conference",
        rule=Convening.Rule.CHATHAM_HOUSE,
    )
    KeyThemeFactory.create(convening=convening, order=1, text="a key theme")
    for number in range(1, recommendations + 1):
        recommendation = RecommendationFactory.create(convening=convening, number=number, headline=f"Headline {number}")
        recommendation.themes.add(ThemeFactory.create())
        for letter in "abcdefghijklmnopqrstuvwxyz"[:sub_items]:
            SubItemFactory.create(recommendation=recommendation, letter=letter, text=f"item {number}{letter}")
        EndorsementFactory.create(recommendation=recommendation)
    session_one = SessionFactory.create(convening=convening, order=1, title="Opening Session")
    session_two = SessionFactory.create(convening=convening, order=2, title="Session 1: Funding")
    for number in range(1, paragraphs + 1):
        ParagraphFactory.create(
            convening=convening,
            session=session_one if number <= paragraphs // 2 else session_two,
            number=number,
            text=f"Paragraph text {number}.[^2]" if number == 29 else f"Paragraph text {number}.",
        )
    FootnoteFactory.create(convening=convening, number=1, text="First note.")
    FootnoteFactory.create(convening=convening, number=2, text="Second note.")
    step = NextStepFactory.create(convening=convening, text="Circulate the summary.")
    step.owners.add(OrganizationFactory.create())
    return convening


def test_convening_page_reads_like_the_document_with_stable_anchors() -> None:
    convening = build_convening()

    html = Client().get(convening.get_absolute_url()).content.decode()

    for anchor in ('id="r2"', 'id="r2-b"', 'id="p29"', 'id="fn2"', 'href="#fnref2"', 'id="fnref2"'):
        assert anchor in html
    for text in ("A Big Conference", "Chatham House Rule", "Opening Session", "Session 1: Funding", "item 2b"):
        assert text in html
    assert html.index("Overview") < html.index("Headline 1") < html.index("Opening Session") < html.index("Notes")
    assert f"{convening.code}/R2" in html


def test_note_cited_twice_keeps_one_back_link_target() -> None:
    convening = build_convening()
    ParagraphFactory.create(convening=convening, number=31, text="Cited again.[^2] And again.[^2]")

    html = Client().get(convening.get_absolute_url()).content.decode()

    assert html.count('id="fnref2"') == 1
    assert html.count('href="#fn2"') == 3
    assert html.index('id="fnref2"') < html.index('href="#fnref2"')


def test_convening_page_shows_status_and_endorsement_count_per_recommendation() -> None:
    recommendation = RecommendationFactory.create(status="submitted")
    EndorsementFactory.create_batch(2, recommendation=recommendation)
    EndorsementFactory.create(recommendation=recommendation, is_named=False)

    response = Client().get(recommendation.convening.get_absolute_url())

    html = response.content.decode()
    assert "status-submitted" in html
    assert "3 endorsements" in html


def test_convening_page_sanitises_markdown() -> None:
    convening = ConveningFactory.create(overview="Hello <script>alert(1)</script> **bold** [x](javascript:alert(1))")

    html = Client().get(convening.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
    assert "<strong>bold</strong>" in html


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_convening_page_lists_participants_as_their_visibility_allows(persona, request) -> None:
    convening = ConveningFactory.create()
    for visibility in ("public", "network", "confidential"):
        ParticipationFactory.create(
            convening=convening,
            visibility=visibility,
            organization__name=f"Org {visibility}",
            role=Participation.Role.CONVENOR if visibility == "confidential" else Participation.Role.PARTICIPANT,
        )
    name = request.node.callspec.params["persona"]

    html = client_for(persona).get(convening.get_absolute_url()).content.decode()

    shown = {visibility for visibility in ("public", "network", "confidential") if f"Org {visibility}" in html}
    assert shown == SEES_PARTICIPATIONS[name]


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_convening_page_of_a_draft_is_404_outside_the_secretariat(persona) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    response = client_for(persona).get(convening.get_absolute_url())

    assert response.status_code == 404


def test_convening_page_of_a_draft_shows_to_the_secretariat(secretariat) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT, title="Working copy")

    response = client_for(secretariat).get(convening.get_absolute_url())

    assert response.status_code == 200
    assert "Working copy" in response.content.decode()


def test_convening_page_of_an_unknown_slug_is_404() -> None:
    response = Client().get("/convenings/no-such-convening/")

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "cso_member", "secretariat"], indirect=True)
def test_convening_page_runs_constant_queries(persona) -> None:
    small = build_convening(recommendations=1, sub_items=1, paragraphs=1)
    large = build_convening(recommendations=20, sub_items=5, paragraphs=20)
    for convening in (small, large):
        for _ in range(3):
            ParticipationFactory.create(convening=convening, visibility="public")
    client = client_for(persona)

    counts = {queries_for(client, convening.get_absolute_url()) for convening in (small, large)}

    assert len(counts) == 1
    assert counts.pop() <= 20
