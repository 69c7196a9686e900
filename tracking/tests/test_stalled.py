"""The donor's stalled view: responses without news for N months, by addressee, and its export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events.models import Convening
from events.tests.factories import ConveningFactory
from gsx_portal.clock import portal_today
from recommendations.models import AddresseeResponse, Recommendation, Status, StatusUpdate
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory
from tracking.stalled_selectors import months_before, stalled_rows

pytestmark = pytest.mark.django_db

TODAY = portal_today()
LONG_AGO = TODAY - dt.timedelta(days=800)


def _addressed(
    recommendation: Recommendation, *addressees: Any, status: str = Status.SUBMITTED
) -> list[AddresseeResponse]:
    recommendation.addressees.add(*addressees)
    return [
        AddresseeResponse.objects.create(recommendation=recommendation, addressee=a, status=status) for a in addressees
    ]


def _update(recommendation: Recommendation, *, days_ago: int, addressee: Any = None, **fields: Any) -> StatusUpdate:
    return StatusUpdate.objects.create(
        recommendation=recommendation,
        addressee=addressee,
        status=fields.pop("status", Status.SUBMITTED),
        date=TODAY - dt.timedelta(days=days_ago),
        **fields,
    )


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 6) == dt.date(2025, 7, 15)
    assert months_before(dt.date(2026, 12, 1), 12) == dt.date(2025, 12, 1)


def test_a_response_without_news_for_months_is_stalled_and_a_recent_one_is_not(anonymous: Any) -> None:
    convening = ConveningFactory.create(start_date=LONG_AGO)
    states, donors = AddresseeFactory.create(name="States"), AddresseeFactory.create(name="Donors")
    silent = RecommendationFactory.create(convening=convening, number=1)
    _addressed(silent, states, donors)
    _update(silent, days_ago=400)
    _update(silent, days_ago=10, addressee=donors)  # donors answered lately: not stalled for them
    never = RecommendationFactory.create(convening=convening, number=2)
    _addressed(never, states)
    done = RecommendationFactory.create(convening=convening, number=3)
    _addressed(done, states, status=Status.IMPLEMENTED)

    rows = stalled_rows(user=anonymous, months=6, today=TODAY)

    assert [(r.addressee.name, r.recommendation.number, r.last_update) for r in rows] == [
        ("States", 2, None),
        ("States", 1, TODAY - dt.timedelta(days=400)),
    ]


def test_a_draft_or_archived_convening_is_not_in_the_public_stalled_view(anonymous: Any, secretariat: User) -> None:
    states = AddresseeFactory.create()
    for status, archived in ((Convening.Status.DRAFT, None), (Convening.Status.PUBLISHED, TODAY)):
        convening = ConveningFactory.create(
            start_date=LONG_AGO, status=status, archived_at=archived and dt.datetime.now(dt.UTC)
        )
        _addressed(RecommendationFactory.create(convening=convening), states)

    public = stalled_rows(user=anonymous, months=6, today=TODAY)
    staff = stalled_rows(user=secretariat, months=6, today=TODAY)

    assert (len(public), len(staff)) == (0, 1)


def test_the_page_groups_by_addressee_and_links_evidence_files_through_the_evidence_view(client: Client) -> None:
    recommendation = RecommendationFactory.create(convening__start_date=LONG_AGO)
    states = AddresseeFactory.create(name="States")
    _addressed(recommendation, states)
    update = _update(
        recommendation,
        days_ago=300,
        evidence_file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4 evidence"),
        internal_note="internal-marker-8812",
    )

    response = client.get(reverse("tracking:stalled"))

    content = response.content.decode()
    assert [g.addressee.name for g in response.context["groups"]] == ["States"]
    assert reverse("tracking:evidence", kwargs={"pk": update.pk}) in content
    assert "internal-marker-8812" not in content
    assert "proof" in content


def test_the_export_carries_response_due_date_last_update_and_latest_evidence(client: Client) -> None:
    recommendation = RecommendationFactory.create(convening__start_date=LONG_AGO)
    states = AddresseeFactory.create(name="States")
    (response,) = _addressed(recommendation, states, status=Status.ACKNOWLEDGED)
    response.due_date = TODAY - dt.timedelta(days=30)
    response.save(update_fields=["due_date"])
    _update(recommendation, days_ago=500, evidence_url="https://example.org/old")
    _update(
        recommendation,
        days_ago=250,
        addressee=states,
        status=Status.ACKNOWLEDGED,
        evidence_url="https://example.org/new",
        internal_note="internal-marker-8812",
        note="",
    )

    export = client.get(reverse("tracking:stalled_export_csv"), {"months": "3"})
    body = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]  # a StreamingHttpResponse

    assert "internal-marker-8812" not in body
    rows = list(csv.DictReader(line for line in io.StringIO(body.lstrip("\ufeff")) if not line.startswith("#")))
    assert [
        (r["Addressee"], r["Response"], r["Response due by"], r["Overdue"], r["Last update"], r["Evidence link"])
        for r in rows
    ] == [
        (
            "States",
            "Acknowledged",
            (TODAY - dt.timedelta(days=30)).isoformat(),
            "yes",
            (TODAY - dt.timedelta(days=250)).isoformat(),
            "https://example.org/new",
        )
    ]
    assert "# Filters: No status update for at least (months): 3" in body


def test_the_xlsx_export_answers_with_every_kind_of_cell(client: Client) -> None:
    recommendation = RecommendationFactory.create(convening__start_date=LONG_AGO)
    (overdue,) = _addressed(recommendation, AddresseeFactory.create())
    overdue.due_date = TODAY - dt.timedelta(days=30)  # overdue: a translated "yes"
    overdue.save(update_fields=["due_date"])
    _update(recommendation, days_ago=300, evidence_file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4 evidence"))

    response = client.get(reverse("tracking:stalled_export_xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    "query",
    [
        {"months": "abc"},
        {"months": "0"},
        {"months": "-3"},
        {"months": "99999"},
        {"addressee": "no-such"},
        {"months": "1e9"},
    ],
)
def test_bad_questions_answer_with_a_message_and_the_defaults(client: Client, query: dict[str, str]) -> None:
    page = client.get(reverse("tracking:stalled"), query)
    export = client.get(reverse("tracking:stalled_export_csv"), query)

    assert (page.status_code, export.status_code) == (200, 200)
    assert "the defaults are used instead" in page.content.decode()
    assert page.context["months"] == 6


@pytest.mark.parametrize("count", [1, 12])
def test_stalled_page_query_count_is_constant(client: Client, django_assert_max_num_queries: Any, count: int) -> None:
    addressee = AddresseeFactory.create()
    for _ in range(count):
        recommendation = RecommendationFactory.create(convening__start_date=LONG_AGO)
        _addressed(recommendation, addressee)
        _update(recommendation, days_ago=400, evidence_url="https://example.org/e")

    with django_assert_max_num_queries(5):
        response = client.get(reverse("tracking:stalled"))

    assert response.context["count"] == count
