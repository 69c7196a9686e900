"""Citable references: the parser, /r/<reference>, and a reference pasted into the search box."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import OUTSIDE_SECRETARIAT, client_for
from events.models import Convening
from events.tests.factories import ConveningFactory
from recommendations.references import Reference, format_reference, parse_reference
from recommendations.tests.factories import RecommendationFactory, SubItemFactory

# --- The parser (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CSD-2017-VIE/R2.b", Reference("CSD-2017-VIE", 2, "b")),
        ("csd-2017-vie/r2.b", Reference("csd-2017-vie", 2, "b")),
        ("CSD-2017-VIE R2.b", Reference("CSD-2017-VIE", 2, "b")),
        ("CSD-2017-VIE/2.b", Reference("CSD-2017-VIE", 2, "b")),
        ("CSD-2017-VIE 2b", Reference("CSD-2017-VIE", 2, "b")),
        ("CSD-2017-VIE/R2.B", Reference("CSD-2017-VIE", 2, "b")),
        ("CSD-2017-VIE+R2", Reference("CSD-2017-VIE", 2)),
        ("  CSD-2017-VIE/R13/ ", Reference("CSD-2017-VIE", 13)),
        ("CSD-2017-VIE", Reference("CSD-2017-VIE")),
        ("CSD-2017-VIE/", Reference("CSD-2017-VIE")),
    ],
)
def test_parse_reference_reads_every_form_people_paste(text: str, expected: Reference) -> None:
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    "text", ["", "CSD-2017-VIE/R0", "CSD-2017-VIE/Rx", "CSD/2017/VIE", "a b c", "x" * 200, "CSD-2017-VIE/R2.b.c"]
)
def test_parse_reference_refuses_what_is_no_reference(text: str) -> None:
    assert parse_reference(text) is None


def test_format_reference_is_what_parse_reads_back() -> None:
    for reference in (Reference("CSD-2017-VIE"), Reference("CSD-2017-VIE", 2), Reference("CSD-2017-VIE", 2, "b")):
        assert parse_reference(str(reference)) == reference
    assert format_reference("CSD-2017-VIE", 2, "b") == "CSD-2017-VIE/R2.b"


# --- /r/<reference> -------------------------------------------------------------------------


@pytest.fixture
def vienna(db: None) -> Convening:
    convening = ConveningFactory.create(code="CSD-2017-VIE", slug="csd-2017-vienna")
    recommendation = RecommendationFactory.create(convening=convening, number=2, headline="Fund youth work")
    SubItemFactory.create(recommendation=recommendation, letter="b", text="Mentoring")
    return convening


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/r/CSD-2017-VIE/R2.b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("/r/csd-2017-vie/r2.b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("/r/CSD-2017-VIE%20R2.b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("/r/CSD-2017-VIE/2.b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("/r/CSD-2017-VIE%202b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("/r/CSD-2017-VIE/R2", "/convenings/csd-2017-vienna/r/2/"),
        ("/r/CSD-2017-VIE/R2/", "/convenings/csd-2017-vienna/r/2/"),
        ("/r/CSD-2017-VIE", "/convenings/csd-2017-vienna/"),
        ("/r/csd-2017-vie/", "/convenings/csd-2017-vienna/"),
    ],
)
def test_reference_redirects_permanently_to_its_page(vienna: Convening, path: str, target: str) -> None:
    response = Client().get(path)

    assert (response.status_code, response["Location"]) == (301, target)


@pytest.mark.parametrize(
    "path", ["/r/CSD-2017-VIE/R3", "/r/CSD-2017-VIE/R2.z", "/r/NOPE-2017-VIE/R2", "/r/not a reference at all"]
)
def test_reference_to_nothing_is_404_with_a_search_offer(vienna: Convening, path: str) -> None:
    response = Client().get(path)

    html = response.content.decode()
    assert response.status_code == 404
    assert '<form class="error-search" method="get" action="/recommendations/"' in html
    assert "has the reference" in html


def test_reference_404_echoes_what_was_typed_escaped(db: None) -> None:
    response = Client().get("/r/%3Cscript%3Ex%3C/script%3E")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<script>x" not in html
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
@pytest.mark.parametrize("path", ["/r/DRF-2030-XYZ/R1.a", "/r/DRF-2030-XYZ/R1", "/r/DRF-2030-XYZ"])
def test_reference_to_a_draft_answers_exactly_as_a_reference_to_nothing(persona, path: str) -> None:
    draft = ConveningFactory.create(code="DRF-2030-XYZ", status=Convening.Status.DRAFT, title="Secret draft")
    recommendation = RecommendationFactory.create(convening=draft, number=1, headline="Draft headline")
    SubItemFactory.create(recommendation=recommendation, letter="a")
    client = client_for(persona)

    with_draft = client.get(path)
    search_with_draft = client.get("/recommendations/", {"q": path.removeprefix("/r/")})
    recommendation.delete()
    draft.delete()
    without = client.get(path)
    search_without = client.get("/recommendations/", {"q": path.removeprefix("/r/")})

    assert with_draft.status_code == without.status_code == 404
    assert normalised(with_draft) == normalised(without)
    assert search_with_draft.status_code == search_without.status_code == 200
    assert normalised(search_with_draft) == normalised(search_without)
    assert "Secret draft" not in normalised(with_draft) + normalised(search_with_draft)


def test_reference_to_a_draft_leads_the_secretariat_there(secretariat) -> None:
    draft = ConveningFactory.create(code="DRF-2030-XYZ", slug="drf", status=Convening.Status.DRAFT)
    RecommendationFactory.create(convening=draft, number=1)

    response = client_for(secretariat).get("/r/drf-2030-xyz/r1")

    assert (response.status_code, response["Location"]) == (301, "/convenings/drf/r/1/")


def test_reference_to_an_archived_convening_still_resolves(vienna: Convening) -> None:
    from django.utils import timezone

    vienna.archived_at = timezone.now()
    vienna.save(update_fields=["archived_at"])

    response = Client().get("/r/CSD-2017-VIE/R2")

    assert response.status_code == 301


@pytest.mark.parametrize("path", ["/r/CSD-2017-VIE/R2.b", "/r/CSD-2017-VIE", "/r/NOPE-1/R1"])
def test_reference_takes_one_query(vienna: Convening, path: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        Client().get(path)

    assert len(captured) == 1


# --- A reference in the search box ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("CSD-2017-VIE/R2.b", "/convenings/csd-2017-vienna/r/2/#r2-b"),
        ("csd-2017-vie r2", "/convenings/csd-2017-vienna/r/2/"),
        (" CSD-2017-VIE ", "/convenings/csd-2017-vienna/"),
    ],
)
def test_pasting_a_reference_into_the_search_box_goes_straight_to_it(vienna: Convening, text: str, target: str) -> None:
    response = Client().get("/recommendations/", {"q": text})
    partial = Client().get("/recommendations/", {"q": text}, headers={"HX-Request": "true"})

    assert (response.status_code, response["Location"]) == (302, target)
    assert (partial.status_code, partial["HX-Redirect"]) == (200, target)


def test_a_reference_to_nothing_in_the_search_box_is_searched_as_text(vienna: Convening) -> None:
    response = Client().get("/recommendations/", {"q": "CSD-2017-VIE/R9"})

    assert response.status_code == 200
    assert list(response.context["recommendations"]) == []


def test_an_export_filtered_by_a_reference_holds_that_recommendation(vienna: Convening) -> None:
    RecommendationFactory.create(convening=vienna, number=3, headline="Another one")

    response = Client().get("/recommendations/export.csv", {"q": "CSD-2017-VIE/R2"})

    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]  # a streamed CSV
    assert "Fund youth work" in text
    assert "Another one" not in text


def normalised(response) -> str:
    # CSRF tokens are masked anew for every response.
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", response.content.decode())
