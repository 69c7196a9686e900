"""Every list endpoint runs the same few queries for 1 row as for 20 (at most 10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.tests.factories import ConveningFactory
from gsx_portal.versions import reads_changed
from organizations.tests.factories import OrganizationFactory
from recommendations.tests.factories import (
    AddresseeFactory,
    AddresseeResponseFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    SubItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10


def full_recommendation(n: int) -> None:
    rec = RecommendationFactory.create(number=n + 1)
    rec.themes.set([ThemeFactory.create(slug="youth", name="Youth"), ThemeFactory.create()])
    addressee = AddresseeFactory.create()
    rec.addressees.set([addressee])
    SubItemFactory.create(recommendation=rec, letter="a")
    SubItemFactory.create(recommendation=rec, letter="b")
    AddresseeResponseFactory.create(recommendation=rec, addressee=addressee)
    EndorsementFactory.create(recommendation=rec)
    EndorsementFactory.create(recommendation=rec, is_named=False)


def organization(n: int) -> None:
    OrganizationFactory.create().themes.set([ThemeFactory.create()])


def letter(n: int) -> None:
    item = LetterFactory.create(addressee=AddresseeFactory.create())
    item.recommendations.set([RecommendationFactory.create()])
    EndorsementFactory.create(recommendation=None, letter=item)
    EndorsementFactory.create(recommendation=None, letter=item, is_named=False)


def theme(n: int) -> None:
    RecommendationFactory.create().themes.set([ThemeFactory.create()])


def addressee(n: int) -> None:
    RecommendationFactory.create().addressees.set([AddresseeFactory.create()])


ENDPOINTS: dict[str, Callable[[int], Any]] = {
    "/api/v1/recommendations/": full_recommendation,
    "/api/v1/recommendations/?q=headline&theme=youth&sort=newest": full_recommendation,
    "/api/v1/convenings/": lambda n: RecommendationFactory.create(convening=ConveningFactory.create()),
    "/api/v1/organizations/": organization,
    "/api/v1/themes/": theme,
    "/api/v1/addressees/": addressee,
    "/api/v1/letters/": letter,
    "/api/v1/endorsements/": lambda n: EndorsementFactory.create(),
}


def queries_for(client: Client, url: str, *, cold: bool = True) -> tuple[int, int]:
    """Queries and rows of one request; ``cold``: after a write (cached reads miss), else again
    at once (they hit: a cached search's matches and page ids save work, never add queries)."""
    if cold:
        reads_changed()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_list_endpoint_runs_constant_queries(url: str, cso_member: Any) -> None:
    make = ENDPOINTS[url]
    client = Client()
    make(0)
    client.get(url)  # warm: the session and content types are cached after the first request
    one, rows_one = queries_for(client, url)
    warm_one, _rows = queries_for(client, url, cold=False)
    for n in range(1, 20):
        make(n)
    twenty, rows_twenty = queries_for(client, url)
    warm_twenty, _rows = queries_for(client, url, cold=False)

    assert (rows_one, rows_twenty) >= (1, 20)
    assert one == twenty
    assert warm_one == warm_twenty <= twenty <= MAX_QUERIES


@pytest.mark.parametrize("url", ["/api/v1/recommendations/", "/api/v1/organizations/", "/api/v1/letters/"])
def test_list_endpoint_runs_constant_queries_for_a_member(url: str, cso_member: Any) -> None:
    make = ENDPOINTS[url]
    client = Client()
    client.force_login(cso_member)
    make(0)
    client.get(url)
    one, _rows = queries_for(client, url)
    for n in range(1, 20):
        make(n)
    twenty, rows = queries_for(client, url)

    assert rows >= 20
    assert one == twenty <= MAX_QUERIES
