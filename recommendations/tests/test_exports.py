"""CSV and XLSX exports: the list's filters, a reference and a permalink per row, nothing hidden."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import OUTSIDE_SECRETARIAT, client_for
from events.models import Convening
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, SubItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    """The table of a CSV export, its header comment left out."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(line for line in io.StringIO(text) if not line.startswith("# ")))


def xlsx_rows(response) -> list[list[object]]:
    """The table of an XLSX export: its second sheet (the first says what the file is)."""
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.worksheets[1].iter_rows(values_only=True)]


def test_csv_export_carries_reference_and_permalink_of_every_row() -> None:
    recommendation = RecommendationFactory.create(
        convening__code="CSD-2017-VIE", convening__slug="vienna", number=2, headline="Fund the core"
    )
    SubItemFactory.create(recommendation=recommendation, letter="a", text="multi-year grants")
    recommendation.themes.add(ThemeFactory.create(name="Capacity"))
    EndorsementFactory.create_batch(2, recommendation=recommendation)

    response = Client().get("/recommendations/export.csv")

    header, row = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert header[:3] == ["Reference", "Permalink", "Headline"]
    record = dict(zip(header, row, strict=True))
    assert record["Reference"] == "CSD-2017-VIE/R2"
    assert record["Permalink"] == "http://testserver/convenings/vienna/r/2/"  # the request's host, not SITE_URL
    assert (record["Sub-items"], record["Themes"], record["Endorsements"]) == ("a. multi-year grants", "Capacity", "2")


def test_exports_take_the_same_filters_as_the_list() -> None:
    youth = ThemeFactory.create(slug="youth")
    RecommendationFactory.create(headline="Youth seats", status="submitted").themes.add(youth)
    RecommendationFactory.create(headline="Youth pay", status="proposed").themes.add(youth)
    RecommendationFactory.create(headline="Police dialogue", status="submitted")
    query = "?theme=youth&status=submitted&q=youth&page=3&sort=reference"

    in_list = [r.headline for r in Client().get(f"/recommendations/{query}").context["recommendations"]]
    in_csv = [row[2] for row in csv_rows(Client().get(f"/recommendations/export.csv{query}"))[1:]]
    in_xlsx = [row[2] for row in xlsx_rows(Client().get(f"/recommendations/export.xlsx{query}"))[1:]]

    assert in_list == in_csv == in_xlsx == ["Youth seats"]


def test_xlsx_export_is_a_workbook_with_reference_and_permalink() -> None:
    RecommendationFactory.create(convening__code="RT-2017-NY", convening__slug="ny", number=1)

    response = Client().get("/recommendations/export.xlsx")

    rows = xlsx_rows(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[1][:2] == ["RT-2017-NY/R1", "http://testserver/convenings/ny/r/1/"]


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_leave_out_drafts_and_unnamed_endorsers(persona, extension: str) -> None:
    published = RecommendationFactory.create(headline="Published one")
    EndorsementFactory.create(recommendation=published, organization__name="Hidden Org", is_named=False)
    RecommendationFactory.create(headline="Draft one", convening__status=Convening.Status.DRAFT)

    response = client_for(persona).get(f"/recommendations/export.{extension}")

    rows = csv_rows(response) if extension == "csv" else xlsx_rows(response)
    flat = " ".join(str(value) for row in rows for value in row)
    assert [row[2] for row in rows[1:]] == ["Published one"]
    assert "Hidden Org" not in flat


def test_exports_include_drafts_for_the_secretariat(secretariat) -> None:
    RecommendationFactory.create(headline="Draft one", convening__status=Convening.Status.DRAFT)

    rows = csv_rows(client_for(secretariat).get("/recommendations/export.csv"))

    assert [row[2] for row in rows[1:]] == ["Draft one"]


def test_exports_neutralise_spreadsheet_formulas() -> None:
    RecommendationFactory.create(headline='=HYPERLINK("http://evil")', body="+1 and @SUM(A1)")

    csv_row = csv_rows(Client().get("/recommendations/export.csv"))[1]
    xlsx_row = xlsx_rows(Client().get("/recommendations/export.xlsx"))[1]

    assert (csv_row[2], csv_row[3]) == ('\'=HYPERLINK("http://evil")', "'+1 and @SUM(A1)")
    assert xlsx_row[2] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("query", ["status=bogus", "year=abc", "q=%22%3Cscript%3E%5C", "endorsed_by=nobody"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_survive_bad_input(query: str, extension: str) -> None:
    RecommendationFactory.create()

    response = Client().get(f"/recommendations/export.{extension}?{query}")

    assert response.status_code == 200


def test_exports_refuse_post() -> None:
    response = Client().post("/recommendations/export.csv")

    assert response.status_code == 405
