"""Recurrence fields on the list endpoint: as the detail gives them, in constant queries, never through a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Convening
from recommendations.models import Recommendation
from recommendations.tests.factories import RecommendationFactory, RecommendationLinkFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/recommendations/"


def chain_of(count: int) -> list[Recommendation]:
    """A first ask and ``count`` restatements of it, a year apart each, each restating the one before."""
    chain = [RecommendationFactory.create(convening__start_date=dt.date(2015, 5, 1))]
    for n in range(count):
        later = RecommendationFactory.create(convening__start_date=dt.date(2016 + n, 5, 1))
        RecommendationLinkFactory.create(from_recommendation=later, to_recommendation=chain[-1])
        chain.append(later)
    return chain


def rows(client: Client, url: str = LIST) -> dict[str, dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200
    return {row["reference"]: row for row in response.json()["results"]}


FIELDS = ("restates", "restated_by", "times_asked", "first_asked")


def test_list_rows_carry_the_recurrence_fields_as_the_detail_does() -> None:
    chain = chain_of(2)
    client = Client()

    listed = rows(client)
    details = {r.reference: client.get(f"{LIST}{r.reference}/").json() for r in chain}

    assert {ref: {f: row[f] for f in FIELDS} for ref, row in listed.items()} == {
        ref: {f: row[f] for f in FIELDS} for ref, row in details.items()
    }
    assert {f: listed[chain[1].reference][f] for f in FIELDS} == {
        "restates": [chain[0].reference],
        "restated_by": [chain[2].reference],
        "times_asked": 3,
        "first_asked": "2015-05-01",
    }


def test_a_link_to_a_draft_is_never_shown_nor_counted_in_the_list(secretariat: User) -> None:
    chain = chain_of(2)
    Convening.objects.filter(pk=chain[2].convening_id).update(status=Convening.Status.DRAFT)
    Convening.objects.filter(pk=chain[0].convening_id).update(status=Convening.Status.DRAFT)
    staff = Client()
    staff.force_login(secretariat)

    public = rows(Client())[chain[1].reference]
    secretariat_row = rows(staff)[chain[1].reference]

    assert {f: public[f] for f in FIELDS} == {
        "restates": [],
        "restated_by": [],
        "times_asked": 1,
        "first_asked": chain[1].convening.start_date.isoformat(),
    }
    assert (secretariat_row["times_asked"], secretariat_row["first_asked"]) == (3, "2015-05-01")


def _queries(client: Client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        found = rows(client)
    return len(captured), len(found)


@pytest.mark.parametrize("member", [False, True])
def test_list_queries_are_constant_over_1_and_10_restatements(member: bool, cso_member: User) -> None:
    client = Client()
    if member:
        client.force_login(cso_member)
    chain_of(1)
    client.get(LIST)  # warm: the session and content types are cached after the first request
    one, rows_one = _queries(client)
    chain_of(10)
    ten, rows_ten = _queries(client)

    assert (rows_one, rows_ten) == (2, 13)
    assert one == ten <= 10
