"""Dashboards: the numbers, the charts, CSV, visibility, overdue around midnight, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Convening, NextStep
from events.tests.factories import ConveningFactory, NextStepFactory
from gsx_portal.clock import portal_today
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Endorsement, Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    RecommendationFactory,
    ThemeFactory,
)
from tracking.selectors import Scope, dashboard

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _world(count: int):
    convening = ConveningFactory.create(slug="vienna", start_date=dt.date(2024, 5, 25))
    theme = ThemeFactory.create(slug="youth", name="Youth")
    undp = AddresseeFactory.create(slug="undp", name="UNDP")
    owner = OrganizationFactory.create()
    for number in range(1, count + 1):
        recommendation = RecommendationFactory.create(convening=convening, number=number)
        recommendation.themes.add(theme)
        recommendation.addressees.add(undp)
        status_update_record(
            recommendation=recommendation,
            addressee=undp,
            status=Status.IN_PROGRESS if number % 2 else Status.SUBMITTED,
            date=dt.date(2025, 1, 10),
            source=StatusUpdate.Source.SECRETARIAT,
            public_reason="Progress",
            owner=owner,
            due_date=dt.date(2025, 2, 1),
        )
        EndorsementFactory.create(recommendation=recommendation)
        step = NextStepFactory.create(convening=convening, due_date=dt.date(2025, 2, 1))
        step.owners.add(owner)
    return convening, theme, undp


def _dashboard_urls() -> list[str]:
    return [
        reverse("tracking:dashboard"),
        reverse("tracking:convening_dashboard", args=["vienna"]),
        reverse("tracking:theme_dashboard", args=["youth"]),
        reverse("tracking:addressee_dashboard", args=["undp"]),
        reverse("tracking:convening_dashboard_csv", args=["vienna", "overdue"]),
    ]


def _query_counts(client) -> list[int]:
    counts = []
    for url in _dashboard_urls():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_pages_run_a_bounded_number_of_queries(client, cso_member, django_assert_max_num_queries, count):
    _world(count)
    client.force_login(cso_member)

    for url in _dashboard_urls():
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "cso_member", "secretariat"], indirect=True)
def test_dashboard_query_count_is_the_same_for_1_and_20_recommendations(client, persona) -> None:
    if persona.is_authenticated:
        client.force_login(persona)
    _world(1)
    one = _query_counts(client)
    Endorsement.objects.all().delete()  # endorsements and timelines are protected: they go first
    StatusUpdate.objects.all().delete()
    Convening.objects.all().delete()
    _world(20)

    twenty = _query_counts(client)

    assert one == twenty


def test_dashboard_counts_statuses_and_addressee_responses() -> None:
    convening, _theme, undp = _world(3)
    now = timezone.now()

    overall = dashboard(user=None, scope=Scope("convening", convening), now=now)
    by_addressee = dashboard(user=None, scope=Scope("addressee", undp), now=now)

    counts = {value: n for value, _label, n in overall.status_counts if n}
    assert counts == {Status.IN_PROGRESS: 2, Status.SUBMITTED: 1}
    assert {value: n for value, _label, n in by_addressee.status_counts if n} == counts
    assert overall.total == 3
    assert overall.endorsement_series[-1] == 3


def test_dashboard_leaves_out_drafts_for_the_public(anonymous, secretariat) -> None:
    RecommendationFactory.create()
    RecommendationFactory.create(convening=ConveningFactory.create(status=Convening.Status.DRAFT))

    public = dashboard(user=anonymous, scope=Scope("all"))
    staff = dashboard(user=secretariat, scope=Scope("all"))

    assert (public.total, staff.total) == (1, 2)


def test_dashboard_of_a_draft_convening_is_a_404_for_the_public(client) -> None:
    ConveningFactory.create(slug="draft", status=Convening.Status.DRAFT)

    response = client.get(reverse("tracking:convening_dashboard", args=["draft"]))

    assert response.status_code == 404


def test_dashboard_charts_statuses_by_the_date_of_the_claim_not_the_day_it_was_typed() -> None:
    # Typed in today, about 2024: the chart must put each claim in the month it is dated.
    convening = ConveningFactory.create(slug="vienna", start_date=dt.date(2024, 5, 25))
    undp = AddresseeFactory.create(slug="undp")
    rec = RecommendationFactory.create(convening=convening, number=1)
    rec.addressees.add(undp)
    RecommendationFactory.create(convening=convening, number=2)  # no claim: proposed throughout
    for status, date in ((Status.SUBMITTED, dt.date(2024, 7, 15)), (Status.IN_PROGRESS, dt.date(2024, 10, 2))):
        status_update_record(
            recommendation=rec,
            addressee=undp,
            status=status,
            date=date,
            source=StatusUpdate.Source.SECRETARIAT,
            public_reason="Dated claim",
        )

    data = dashboard(user=None, scope=Scope("convening", convening), now=dt.datetime(2025, 1, 15, tzinfo=UTC))
    by_month = {
        month: {status: data.status_series[status][index] for status in ("proposed", "submitted", "in_progress")}
        for index, month in enumerate(data.months)
    }

    assert data.months[0] == "2024-05"
    assert by_month["2024-06"] == {"proposed": 2, "submitted": 0, "in_progress": 0}
    assert by_month["2024-07"] == {"proposed": 1, "submitted": 1, "in_progress": 0}
    assert by_month["2024-09"] == {"proposed": 1, "submitted": 1, "in_progress": 0}
    assert by_month["2024-10"] == {"proposed": 1, "submitted": 0, "in_progress": 1}
    assert by_month["2025-01"] == {"proposed": 1, "submitted": 0, "in_progress": 1}


def test_dashboard_csv_has_the_numbers_of_the_page(client) -> None:
    _world(3)

    status_csv = client.get(reverse("tracking:theme_dashboard_csv", args=["youth", "status"]))
    overdue_csv = client.get(reverse("tracking:convening_dashboard_csv", args=["vienna", "overdue"]))

    rows = list(csv.reader(io.StringIO(status_csv.content.decode())))
    assert status_csv["Content-Type"].startswith("text/csv")
    assert rows[0] == ["status", "label", "recommendations"]
    assert ["in_progress", "In progress", "2"] in rows
    overdue_rows = list(csv.reader(io.StringIO(overdue_csv.content.decode())))
    assert [row[0] for row in overdue_rows[1:]].count("next_step") == 3
    assert [row[0] for row in overdue_rows[1:]].count("response") == 3


def test_dashboard_csv_unknown_dataset_is_a_404(client) -> None:
    response = client.get("/tracking/data/secrets.csv")

    assert response.status_code == 404


def test_dashboard_page_draws_svg_charts_with_tables(client) -> None:
    _world(2)

    html = client.get(reverse("tracking:convening_dashboard", args=["vienna"])).content.decode()

    assert html.count("<svg") == 3
    assert 'data-testid="status-table"' in html
    assert "Overdue" in html
    assert html.count('<figure class="chart-figure"><svg') == 3


# --- Overdue, decided in the portal's time zone (UTC), whatever zone is active -----------------


@pytest.mark.parametrize(
    ("local", "zone", "expected"),
    [
        (dt.datetime(2025, 6, 1, 23, 30), "America/New_York", dt.date(2025, 6, 2)),  # 03:30 UTC
        (dt.datetime(2025, 6, 2, 8, 30), "Asia/Tokyo", dt.date(2025, 6, 1)),  # 23:30 UTC
        (dt.datetime(2025, 6, 2, 0, 0), "UTC", dt.date(2025, 6, 2)),
        (dt.datetime(2025, 6, 1, 23, 59, 59), "UTC", dt.date(2025, 6, 1)),
        (dt.datetime(2025, 6, 2, 13, 0), "Pacific/Kiritimati", dt.date(2025, 6, 1)),  # UTC+14
    ],
)
def test_portal_today_is_the_utc_date_whatever_zone_is_active(local, zone, expected) -> None:
    moment = local.replace(tzinfo=ZoneInfo(zone))

    with timezone.override(zone):
        today = portal_today(moment)

    assert today == expected


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        (dt.datetime(2025, 6, 1, 23, 59, 59, tzinfo=UTC), False),  # the due day itself
        (dt.datetime(2025, 6, 2, 0, 0, tzinfo=UTC), True),  # midnight after it
        (dt.datetime(2025, 6, 1, 20, 30, tzinfo=ZoneInfo("America/New_York")), True),  # 00:30 UTC on the 2nd
        (dt.datetime(2025, 6, 2, 8, 59, tzinfo=ZoneInfo("Asia/Tokyo")), False),  # 23:59 UTC on the 1st
    ],
)
def test_dashboard_overdue_next_step_turns_overdue_at_utc_midnight(moment, overdue) -> None:
    step = NextStepFactory.create(due_date=dt.date(2025, 6, 1), convening__start_date=dt.date(2025, 1, 1))

    with timezone.override("Asia/Tokyo"):
        data = dashboard(user=None, scope=Scope("convening", step.convening), now=moment)

    assert [row.text for row in data.overdue] == ([step.text] if overdue else [])
    assert step.is_overdue(portal_today(moment)) is overdue


def test_dashboard_overdue_ignores_done_and_dropped_steps() -> None:
    convening = ConveningFactory.create(start_date=dt.date(2025, 1, 1))
    for state in NextStep.State:
        NextStepFactory.create(convening=convening, due_date=dt.date(2025, 2, 1), state=state, text=state.value)

    data = dashboard(user=None, scope=Scope("convening", convening), now=dt.datetime(2025, 3, 1, tzinfo=UTC))

    assert sorted(row.text for row in data.overdue) == ["in_progress", "open"]


def test_chart_svg_is_well_formed_and_escaped() -> None:
    from tracking.charts import bar_chart, line_chart, stacked_columns

    charts = [
        bar_chart([("<b>A & B</b>", 3, "#000"), ("C", 0, "#111")], chart_id="c1", title="T <x>", description="D"),
        stacked_columns(["2025-01", "2025-02"], [("S & T", [1, 2], "#222")], chart_id="c2", title="T", description="D"),
        line_chart(["2025-01", "2025-02"], [0, 4], chart_id="c3", title="T", description="D"),
        line_chart([], [], chart_id="c4", title="Empty", description="No data"),
    ]

    roots = [ET.fromstring(svg) for svg in charts]  # noqa: S314  # our own output, not untrusted input

    assert [root.tag for root in roots] == ["{http://www.w3.org/2000/svg}svg"] * 4
    assert "<b>" not in charts[0]
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in charts[0]
    assert roots[0].get("role") == "img"
