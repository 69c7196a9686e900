"""Exports of every list (recommendations, convenings, organizations, letters): one mechanism.

Each file says what it is (a CSV header comment, a first XLSX sheet: filters and date), holds the
page's rows through the page's own FilterSet and ``visible_to``, links its permalinks, and costs
the same number of queries for 1 row as for 20.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import OUTSIDE_SECRETARIAT, client_for
from events.models import Convening
from events.tests.factories import ConveningFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Letter
from recommendations.tests.factories import (
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    SubItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["/recommendations/", "/convenings/", "/organizations/", "/letters/"]
EXPORTS = [f"{path}export.{extension}" for path in LISTS for extension in ("csv", "xlsx")]


def csv_parts(response: Any) -> tuple[list[str], list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = io.StringIO(text).readlines()
    comments = [line.rstrip("\r\n") for line in lines if line.startswith("# ")]
    return comments, list(csv.reader(line for line in lines if not line.startswith("# ")))


def xlsx_sheets(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content))


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def make_items(n: int) -> None:
    """``n`` rows for each list, with everything a row shows."""
    theme = ThemeFactory.create()
    for _ in range(n):
        recommendation = RecommendationFactory.create()
        recommendation.themes.add(theme)
        SubItemFactory.create(recommendation=recommendation)
        EndorsementFactory.create(recommendation=recommendation)
        OrganizationFactory.create().themes.add(theme)
        LetterFactory.create().recommendations.add(recommendation)


@pytest.mark.parametrize("url", EXPORTS)
def test_every_export_costs_the_same_queries_for_1_and_20_rows(url: str) -> None:
    make_items(1)
    with CaptureQueriesContext(connection) as one:
        content_of(Client().get(url))
    make_items(19)
    with CaptureQueriesContext(connection) as twenty:
        response = Client().get(url)
        body = content_of(response)

    assert response.status_code == 200
    assert len(body) > 0
    assert len(one.captured_queries) == len(twenty.captured_queries)
    assert len(twenty.captured_queries) <= 10


def test_convening_csv_names_its_filters_and_date_and_follows_the_list() -> None:
    ConveningFactory.create(code="CSD-2017-VIE", slug="vienna", start_date=dt.date(2017, 5, 25), title="Vienna day")
    ConveningFactory.create(start_date=dt.date(2019, 1, 1), title="Other")
    ConveningFactory.create(start_date=dt.date(2017, 6, 1), title="Draft one", status=Convening.Status.DRAFT)

    response = Client().get("/convenings/export.csv?year=2017&kind=civil_society_day&page=2")
    comments, rows = csv_parts(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert comments[0] == "# Export: Convenings"
    assert comments[1] == "# Filters: Year: 2017; Kind: Civil-society day"
    assert comments[2].startswith("# Made at: ") and comments[2].endswith(" UTC")
    assert comments[3] == "# List page: http://testserver/convenings/?year=2017&kind=civil_society_day"
    header, *body = rows
    record = dict(zip(header, body[0], strict=True))
    assert [row[2] for row in body] == ["Vienna day"]
    assert (record["Code"], record["Permalink"]) == ("CSD-2017-VIE", "http://testserver/convenings/vienna/")


def test_xlsx_exports_open_with_an_about_sheet_and_hyperlinked_permalinks() -> None:
    OrganizationFactory.create(name="Northlight", slug="northlight", kind="donor")
    OrganizationFactory.create(name="Riverbank", kind="cso")

    workbook = xlsx_sheets(Client().get("/organizations/export.xlsx?kind=donor&year=abc"))

    about, table = workbook.worksheets
    lines = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert (about.title, table.title) == ("About", "Organizations")
    assert lines["Export"] == "Organizations"
    assert lines["Filters"] == "Kind: Donor"
    assert lines["Made at"].endswith(" UTC")
    assert about["B4"].hyperlink.target == "http://testserver/organizations/?kind=donor&year=abc"
    assert [row[0] for row in table.iter_rows(min_row=2, values_only=True)] == ["Northlight"]
    assert table["B2"].value == "http://testserver/organizations/northlight/"
    assert table["B2"].hyperlink.target == "http://testserver/organizations/northlight/"


def test_an_unfiltered_export_says_so_and_names_ignored_parameters() -> None:
    RecommendationFactory.create()

    comments, _rows = csv_parts(Client().get("/recommendations/export.csv?status=bogus"))

    assert comments[1] == "# Filters: none (every row)"
    assert comments[3] == "# Ignored (unreadable): Status"


def test_the_header_comment_cannot_be_broken_by_a_query() -> None:
    RecommendationFactory.create(headline="Youth seats")

    comments, rows = csv_parts(Client().get("/recommendations/export.csv?q=youth%0D%0A%3DSUM(A1)"))

    assert comments[1] == "# Filters: Search: youth =SUM(A1)"
    assert rows[0][0] == "Reference"


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_letter_exports_leave_out_drafts_and_hidden_recommendations(persona: Any, extension: str) -> None:
    public = RecommendationFactory.create(convening__code="PUB-1", number=1)
    draft = RecommendationFactory.create(convening__code="DRAFT-1", number=1, convening__status="draft")
    letter = LetterFactory.create(title="Open letter")
    letter.recommendations.set([public, draft])
    EndorsementFactory.create(letter=letter, recommendation=None, organization__name="Unnamed Org", is_named=False)
    LetterFactory.create(title="Draft letter", state=Letter.State.DRAFT)

    response = client_for(persona).get(f"/letters/export.{extension}")

    if extension == "csv":
        rows = csv_parts(response)[1]
    else:
        rows = [list(row) for row in xlsx_sheets(response).worksheets[1].iter_rows(values_only=True)]
    flat = " ".join(str(value) for row in rows for value in row)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert [row[0] for row in rows[1:]] == ["Open letter"]
    assert (record["Recommendations"], str(record["Signatures"])) == ("PUB-1/R1", "1")
    assert "DRAFT-1" not in flat and "Unnamed Org" not in flat


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_organization_and_convening_exports_follow_visible_to(persona: Any) -> None:
    OrganizationFactory.create(name="Unverified Org", verified_at=None)
    ConveningFactory.create(title="A draft convening", status=Convening.Status.DRAFT)

    organizations = b"".join(client_for(persona).get("/organizations/export.csv").streaming_content)
    convenings = b"".join(client_for(persona).get("/convenings/export.csv").streaming_content)

    assert b"Unverified Org" not in organizations
    assert b"A draft convening" not in convenings


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize(
    "query", ["year=abc", "kind=bogus", "status=%00", "q=%22%3Cscript%3E%5C", "page=-1", "theme=" + "x" * 3000]
)
def test_exports_answer_bad_parameters_without_an_error(url: str, query: str) -> None:
    make_items(1)

    response = Client().get(f"{url}?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_refuse_post(url: str) -> None:
    assert Client().post(url).status_code == 405


@pytest.mark.parametrize("path", ["/convenings/", "/organizations/", "/letters/"])
def test_list_pages_link_their_exports_with_their_filters(path: str) -> None:
    make_items(1)

    page = Client().get(f"{path}?kind=donor&page=1").content.decode()

    query = "" if path == "/letters/" else "?kind=donor"
    assert f'href="{path}export.csv{query}"' in page
    assert f'href="{path}export.xlsx{query}"' in page
