"""Atom and iCalendar feeds: public only, scoped like the dashboards, narrowed by the list's
filters, linked from their pages, constant in queries, and never a 500 on bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from conftest import OUTSIDE_SECRETARIAT, PERSONAS, client_for
from events.models import Convening
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Letter
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    SubItemFactory,
    ThemeFactory,
)
from tracking.calendars import CalendarEvent, calendar_bytes

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response: Any) -> list[dict[str, str]]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed, built by the test)
    return [
        {
            "title": entry.findtext(f"{ATOM}title") or "",
            "link": entry.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]  # every entry links
            "id": entry.findtext(f"{ATOM}id") or "",
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def events_of(response: Any) -> list[Any]:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.fixture
def world() -> dict[str, Any]:
    """A theme, an addressee and a convening with two recommendations, a draft convening, and the
    hidden things no feed may show."""
    theme, addressee = ThemeFactory.create(slug="youth"), AddresseeFactory.create(slug="donors")
    convening = ConveningFactory.create(slug="vienna", code="CSD-2017-VIE", published_at=timezone.now())
    first = RecommendationFactory.create(convening=convening, number=1, headline="Fund youth <b>work</b>")
    first.themes.add(theme)
    first.addressees.add(addressee)
    SubItemFactory.create(recommendation=first, letter="a", text="multi-year grants")
    RecommendationFactory.create(convening=convening, number=2, headline="Train police", status="submitted")
    StatusUpdateFactory.create(recommendation=first, status="submitted", note="Sent.", internal_note="SECRET-NOTE")
    draft = ConveningFactory.create(slug="draft", code="DRAFT-1", status=Convening.Status.DRAFT)
    hidden = RecommendationFactory.create(convening=draft, number=1, headline="Draft headline")
    hidden.themes.add(theme)
    StatusUpdateFactory.create(recommendation=hidden, status="submitted", note="Draft note.")
    NextStepFactory.create(convening=draft, text="Draft step", due_date=dt.date(2026, 1, 1))
    owner = OrganizationFactory.create(name="Open Owner")
    secret_owner = OrganizationFactory.create(name="Secret Owner")
    ParticipationFactory.create(convening=convening, organization=secret_owner, visibility="confidential")
    step = NextStepFactory.create(convening=convening, text="Circulate the summary", due_date=dt.date(2026, 2, 3))
    step.owners.set([owner, secret_owner])
    EndorsementFactory.create(recommendation=first, organization__name="Unnamed Endorser", is_named=False)
    LetterFactory.create(title="Open letter", closes_on=dt.date(2026, 3, 1))
    LetterFactory.create(title="Draft letter", closes_on=dt.date(2026, 3, 2), state=Letter.State.DRAFT)
    return {"first": first, "convening": convening}


FEEDS = [
    "/feeds/recommendations.atom",
    "/feeds/status.atom",
    "/feeds/themes/youth/recommendations.atom",
    "/feeds/themes/youth/status.atom",
    "/feeds/addressees/donors/recommendations.atom",
    "/feeds/addressees/donors/status.atom",
    "/feeds/convenings/vienna/recommendations.atom",
    "/feeds/convenings/vienna/status.atom",
    "/feeds/next-steps.ics",
    "/feeds/convenings/vienna/next-steps.ics",
    "/feeds/letters.ics",
]
HIDDEN = ["Draft", "DRAFT-1", "SECRET-NOTE", "Secret Owner", "Unnamed Endorser"]


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize("url", FEEDS)
def test_feeds_read_as_anonymous_whoever_asks(world: dict[str, Any], persona: Any, url: str) -> None:
    response = client_for(persona).get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert [word for word in HIDDEN if word in body] == []
    assert body == Client().get(url).content.decode()  # the same feed, whoever asks


def test_recommendation_feeds_are_scoped_and_filtered(world: dict[str, Any]) -> None:
    everything = [e["title"] for e in entries(Client().get("/feeds/recommendations.atom"))]
    on_theme = [e["title"] for e in entries(Client().get("/feeds/themes/youth/recommendations.atom"))]
    to_donors = [e["title"] for e in entries(Client().get("/feeds/addressees/donors/recommendations.atom"))]
    saved_search = [e["title"] for e in entries(Client().get("/feeds/recommendations.atom?status=submitted&page=2"))]

    assert everything == ["CSD-2017-VIE/R2 Train police", "CSD-2017-VIE/R1 Fund youth <b>work</b>"]
    assert on_theme == to_donors == ["CSD-2017-VIE/R1 Fund youth <b>work</b>"]
    assert saved_search == ["CSD-2017-VIE/R2 Train police"]


def test_recommendation_entries_link_their_permalink_and_escape_their_text(world: dict[str, Any]) -> None:
    entry = entries(Client().get("/feeds/convenings/vienna/recommendations.atom"))[-1]

    assert entry["link"] == entry["id"] == "http://testserver/convenings/vienna/r/1/"
    assert "<li>a. multi-year grants</li>" in entry["summary"]


def test_status_feed_carries_public_notes_only(world: dict[str, Any]) -> None:
    [entry] = entries(Client().get("/feeds/themes/youth/status.atom"))

    assert entry["title"] == "CSD-2017-VIE/R1: Submitted"
    assert "Sent." in entry["summary"]
    assert "SECRET-NOTE" not in entry["summary"]
    assert entry["link"] == "http://testserver/convenings/vienna/r/1/#tracking"


def test_next_step_calendar_names_only_nameable_owners(world: dict[str, Any]) -> None:
    [event] = events_of(Client().get("/feeds/convenings/vienna/next-steps.ics"))

    assert event.decoded("dtstart") == dt.date(2026, 2, 3)
    assert str(event["summary"]) == "CSD-2017-VIE: Circulate the summary"
    assert "Owners: Open Owner" in str(event["description"])
    assert str(event["url"]) == "http://testserver/convenings/vienna/#next-steps"


def test_letter_calendar_lists_closing_dates_of_public_letters(world: dict[str, Any]) -> None:
    response = Client().get("/feeds/letters.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(e["summary"]) for e in events_of(response)] == ["Letter closes: Open letter"]


def test_calendar_text_is_escaped_and_folded() -> None:
    event = CalendarEvent(
        uid="u1", day=dt.date(2026, 1, 2), summary="a, b; c\\d", description="line\n" + "x" * 200, url="http://x/"
    )

    body = calendar_bytes(title="T", events=[event])

    assert b"SUMMARY:a\\, b\\; c\\\\d" in body
    assert b"DESCRIPTION:line\\n" in body
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    assert str(Calendar.from_ical(body).walk("VEVENT")[0]["summary"]) == "a, b; c\\d"


def test_an_empty_feed_reads_the_same_each_time() -> None:
    first = Client().get("/feeds/recommendations.atom?q=nothing").content

    assert b"<updated>2000-01-01T00:00:00+00:00</updated>" in first
    assert Client().get("/feeds/recommendations.atom?q=nothing").content == first


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/themes/nope/recommendations.atom",
        "/feeds/addressees/nope/status.atom",
        "/feeds/convenings/draft/recommendations.atom",
        "/feeds/convenings/draft/next-steps.ics",
        "/feeds/convenings/nope/status.atom",
    ],
)
def test_unknown_or_draft_scopes_answer_404(world: dict[str, Any], url: str) -> None:
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize(
    "query", ["year=abc", "status=bogus", "q=%22%3Cscript%3E%5C", "theme=" + "x" * 3000, "endorsed_by=x&page=-1"]
)
def test_feeds_answer_bad_parameters_without_an_error(world: dict[str, Any], url: str, query: str) -> None:
    assert Client().get(f"{url}?{query}").status_code == 200


def make_items(n: int, *, convening: Convening) -> None:
    theme = ThemeFactory.create(slug=f"t-{n}-{ThemeFactory._meta.model.objects.count()}")
    for _ in range(n):
        recommendation = RecommendationFactory.create(convening=convening)
        recommendation.themes.add(theme)
        recommendation.addressees.add(AddresseeFactory.create())
        SubItemFactory.create(recommendation=recommendation)
        StatusUpdateFactory.create(recommendation=recommendation, addressee=AddresseeFactory.create())
        NextStepFactory.create(convening=convening, due_date=dt.date(2026, 5, 1)).owners.add(
            OrganizationFactory.create()
        )
        LetterFactory.create(closes_on=dt.date(2026, 6, 1))


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_costs_the_same_queries_for_1_and_20_items(url: str) -> None:
    convening = ConveningFactory.create(slug="vienna")
    ThemeFactory.create(slug="youth")
    AddresseeFactory.create(slug="donors")
    make_items(1, convening=convening)
    with CaptureQueriesContext(connection) as one:
        Client().get(url)
    make_items(19, convening=convening)
    with CaptureQueriesContext(connection) as twenty:
        response = Client().get(url)

    assert response.status_code == 200
    assert len(one.captured_queries) == len(twenty.captured_queries) <= 10


@pytest.mark.parametrize(
    ("path", "feed"),
    [
        ("/", "/feeds/recommendations.atom"),
        ("/recommendations/?theme=youth", "/feeds/recommendations.atom?theme=youth"),
        ("/themes/youth/", "/feeds/themes/youth/recommendations.atom"),
        ("/convenings/vienna/", "/feeds/convenings/vienna/next-steps.ics"),
        ("/tracking/addressees/donors/", "/feeds/addressees/donors/status.atom"),
        ("/letters/", "/feeds/letters.ics"),
    ],
)
def test_pages_offer_their_feeds_in_the_head_and_visibly(world: dict[str, Any], path: str, feed: str) -> None:
    page = Client().get(path).content.decode()

    assert '<link rel="alternate" type="' in page
    assert page.count(f'href="{feed}"') == 2  # the <link> and the visible one


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_feed_links_appear_for_every_persona(world: dict[str, Any], persona: Any) -> None:
    page = client_for(persona).get("/themes/youth/").content.decode()

    assert 'href="/feeds/themes/youth/status.atom"' in page
