"""The API's reads: shapes, lookups by reference, visibility, pagination, conditional answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import client_for
from events.models import Convening, Participation
from events.tests.factories import (
    ConveningFactory,
    FootnoteFactory,
    KeyThemeFactory,
    NextStepFactory,
    ParagraphFactory,
    SessionFactory,
)
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Status
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    SubItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vienna() -> Convening:
    convening = ConveningFactory.create(code="CSD-2017-VIE", slug="csd-2017-vienna", start_date=dt.date(2017, 5, 25))
    donors = AddresseeFactory.create(slug="donors", name="Donors", group="donors")
    youth = ThemeFactory.create(slug="youth", name="Youth")
    rec = RecommendationFactory.create(convening=convening, number=2, headline="Fund youth networks")
    rec.addressees.set([donors])
    rec.themes.set([youth])
    SubItemFactory.create(recommendation=rec, letter="a", text="first")
    SubItemFactory.create(recommendation=rec, letter="b", text="second")
    return convening


def test_recommendation_by_reference_answers_every_field(client: Client, vienna: Convening) -> None:
    rec = vienna.recommendations.get(number=2)
    StatusUpdateFactory.create(recommendation=rec, status=Status.SUBMITTED, date=dt.date(2018, 1, 2), note="Sent.")
    EndorsementFactory.create(recommendation=rec, organization__name="Open Org", organization__slug="open-org")

    response = client.get("/api/v1/recommendations/CSD-2017-VIE/R2/")

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == "CSD-2017-VIE/R2"
    assert body["permalink"] == "http://testserver" + rec.get_absolute_url()
    assert [s["reference"] for s in body["sub_items"]] == ["CSD-2017-VIE/R2.a", "CSD-2017-VIE/R2.b"]
    assert [t["slug"] for t in body["themes"]] == ["youth"]
    assert [a["slug"] for a in body["addressees"]] == ["donors"]
    assert [(e["date"], e["status"], e["note"]) for e in body["timeline"]] == [("2018-01-02", "submitted", "Sent.")]
    assert body["endorsement_count"] == 1
    assert [e["organization"]["slug"] for e in body["endorsers"]] == ["open-org"]


@pytest.mark.parametrize(
    "reference", ["CSD-2017-VIE/R2", "csd-2017-vie/r2", "CSD-2017-VIE/2", "CSD-2017-VIE R2", "CSD-2017-VIE/R2.b"]
)
def test_recommendation_lookup_accepts_the_reference_as_typed(
    client: Client, vienna: Convening, reference: str
) -> None:
    response = client.get(f"/api/v1/recommendations/{reference}/")
    listed = client.get("/api/v1/recommendations/", {"reference": reference})

    assert response.status_code == 200
    assert response.json()["reference"] == "CSD-2017-VIE/R2"
    assert [r["reference"] for r in listed.json()["results"]] == ["CSD-2017-VIE/R2"]


def test_a_draft_answers_the_same_404_as_nothing(client: Client, vienna: Convening) -> None:
    draft = ConveningFactory.create(code="DRAFT-2020", status=Convening.Status.DRAFT)
    RecommendationFactory.create(convening=draft, number=1)

    drafted = client.get("/api/v1/recommendations/DRAFT-2020/R1/")
    missing = client.get("/api/v1/recommendations/NOPE-2020/R1/")
    convening = client.get("/api/v1/convenings/DRAFT-2020/")

    assert (drafted.status_code, missing.status_code, convening.status_code) == (404, 404, 404)
    assert drafted.content == missing.content == convening.content


def test_recommendations_filter_as_the_page_does(client: Client, vienna: Convening) -> None:
    other = RecommendationFactory.create(convening=ConveningFactory.create(start_date=dt.date(2016, 1, 1)))

    by_addressee = client.get("/api/v1/recommendations/", {"addressee": "donors"}).json()
    by_year = client.get("/api/v1/recommendations/", {"year": "2016"}).json()
    bad = client.get("/api/v1/recommendations/", {"year": "abc"}).json()

    assert [r["reference"] for r in by_addressee["results"]] == ["CSD-2017-VIE/R2"]
    assert [r["reference"] for r in by_year["results"]] == [other.reference]
    assert bad["ignored"] == ["year"]
    assert len(bad["results"]) == 2


def test_cursor_pagination_walks_every_row_once(client: Client) -> None:
    convening = ConveningFactory.create()
    for number in range(1, 8):
        RecommendationFactory.create(convening=convening, number=number)

    seen, url, pages = [], "/api/v1/recommendations/?page_size=3", 0
    while url:
        body = client.get(url).json()
        seen += [r["number"] for r in body["results"]]
        url, pages = body["next"], pages + 1

    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert pages == 3


@pytest.mark.parametrize("params", [{"cursor": "garbage"}, {"cursor": "e30"}, {"page_size": "0"}, {"page_size": "x"}])
def test_bad_paging_answers_400_with_a_message(client: Client, params: dict[str, str]) -> None:
    response = client.get("/api/v1/recommendations/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_conditional_get_answers_304(client: Client, vienna: Convening) -> None:
    first = client.get("/api/v1/recommendations/")
    by_etag = client.get("/api/v1/recommendations/", headers={"If-None-Match": first["ETag"]})
    by_date = client.get("/api/v1/recommendations/", headers={"If-Modified-Since": first["Last-Modified"]})
    RecommendationFactory.create(convening=vienna, number=3)
    changed = client.get("/api/v1/recommendations/", headers={"If-None-Match": first["ETag"]})
    changed_since = client.get("/api/v1/recommendations/", headers={"If-Modified-Since": first["Last-Modified"]})

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    # Even within the same second: the body changed, so If-Modified-Since must not claim it did not.
    assert changed_since.status_code == 200


def test_convening_in_full_shows_only_visible_participants(vienna: Convening) -> None:
    session = SessionFactory.create(convening=vienna, order=1, title="Opening")
    ParagraphFactory.create(convening=vienna, session=session, number=1, text="We met.")
    FootnoteFactory.create(convening=vienna, number=1, text="A note.")
    KeyThemeFactory.create(convening=vienna, order=1, text="Trust")
    public = OrganizationFactory.create(name="Public Org", slug="public-org")
    hidden = OrganizationFactory.create(name="Hidden Org", slug="hidden-org")
    Participation.objects.create(convening=vienna, organization=public, visibility=Participation.Visibility.PUBLIC)
    Participation.objects.create(
        convening=vienna, organization=hidden, visibility=Participation.Visibility.CONFIDENTIAL
    )
    step = NextStepFactory.create(convening=vienna, text="Circulate.", due_date=dt.date(2018, 1, 1))
    step.owners.set([public, hidden])

    body = Client().get("/api/v1/convenings/CSD-2017-VIE/").json()

    assert [p["organization"]["slug"] for p in body["participations"]] == ["public-org"]
    assert [[o["slug"] for o in s["owners"]] for s in body["next_steps"]] == [["public-org"]]
    assert [(p["number"], p["session"]) for p in body["paragraphs"]] == [(1, 1)]
    assert [r["reference"] for r in body["recommendations"]] == ["CSD-2017-VIE/R2"]
    assert [f["text"] for f in body["footnotes"]] == ["A note."]
    assert [k["text"] for k in body["key_themes"]] == ["Trust"]
    assert "Hidden Org" not in str(body)


def test_unnamed_endorsers_are_counted_not_named(client: Client, vienna: Convening) -> None:
    rec = vienna.recommendations.get()
    EndorsementFactory.create(recommendation=rec, organization__name="Quiet Org", is_named=False)
    letter = LetterFactory.create(slug="a-letter")
    EndorsementFactory.create(recommendation=None, letter=letter, organization__name="Quiet Signer", is_named=False)

    detail = client.get("/api/v1/recommendations/CSD-2017-VIE/R2/").json()
    letters = client.get("/api/v1/letters/").json()
    endorsements = client.get("/api/v1/endorsements/").json()

    assert (detail["endorsement_count"], detail["unnamed_endorsement_count"], detail["endorsers"]) == (1, 1, [])
    assert [(row["signature_count"], row["signatories"]) for row in letters["results"]] == [(1, [])]
    assert endorsements["results"] == []


def test_unverified_staff_session_reads_no_draft(staff_without_second_factor: User, vienna: Convening) -> None:
    ConveningFactory.create(code="DRAFT-2021", status=Convening.Status.DRAFT)
    client = Client()
    client.force_login(staff_without_second_factor)

    response = client.get("/api/v1/convenings/DRAFT-2021/")

    assert response.status_code in (302, 404)
    assert b"DRAFT-2021" not in response.content


def test_verified_secretariat_reads_drafts(secretariat: User) -> None:
    ConveningFactory.create(code="DRAFT-2021", status=Convening.Status.DRAFT)

    response = client_for(secretariat).get("/api/v1/convenings/DRAFT-2021/")

    assert response.status_code == 200


def test_every_list_endpoint_answers(client: Client, vienna: Convening) -> None:
    root = client.get("/api/v1/").json()

    statuses = {name: client.get(url).status_code for name, url in root.items()}

    assert statuses == dict.fromkeys(root, 200)


def test_docs_page_loads_its_assets_from_our_origin(client: Client) -> None:
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page.status_code == 200
    assert b"<script>" not in page.content and b"<style>" not in page.content
    assert b"cdn" not in page.content.lower()
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert script.status_code == 200 and "javascript" in script["Content-Type"]


def test_the_schema_is_openapi_3_1(client: Client) -> None:
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


@pytest.mark.parametrize("sort", ["newest", "endorsed", "reference", "relevance"])
def test_cursor_pagination_walks_every_row_once_in_each_order(client: Client, sort: str) -> None:
    for index, convening in enumerate([ConveningFactory.create(), ConveningFactory.create()]):
        for number in range(1, 5):
            rec = RecommendationFactory.create(convening=convening, number=number, headline="Fund youth work")
            for _ in range(number % 3 + index):
                EndorsementFactory.create(recommendation=rec)

    seen, url = [], f"/api/v1/recommendations/?page_size=3&sort={sort}&q=youth"
    while url:
        body = client.get(url).json()
        seen += [r["reference"] for r in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 8
