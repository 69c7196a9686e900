"""The open-data ZIP of /data/: public data only, one CSV per entity with a data dictionary,
built once per night by a task that takes no arguments, its state in the DataRelease row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Convening
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.tests.factories import OrganizationFactory
from publications import open_data, services, tasks
from publications.models import DataRelease
from recommendations.tests.factories import (
    AddresseeResponseFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    SubItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FILES = [
    "convenings.csv",
    "recommendations.csv",
    "themes.csv",
    "addressees.csv",
    "status_updates.csv",
    "addressee_responses.csv",
    "organizations.csv",
    "endorsements.csv",
    "participations.csv",
    "next_steps.csv",
    "letters.csv",
    "data-dictionary.csv",
    "README.txt",
]


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def release_files(release: DataRelease) -> dict[str, str]:
    with release.file.open("rb") as handle:
        return unzip(handle.read())


@pytest.fixture
def world() -> dict[str, Any]:
    convening = ConveningFactory.create(code="CSD-2017-VIE", slug="vienna")
    recommendation = RecommendationFactory.create(convening=convening, number=2, headline="Fund the core")
    recommendation.themes.add(ThemeFactory.create(name="Capacity"))
    SubItemFactory.create(recommendation=recommendation, letter="a", text="grants")
    StatusUpdateFactory.create(recommendation=recommendation, note="Public note", internal_note="INTERNAL-NOTE")
    AddresseeResponseFactory.create(recommendation=recommendation)
    EndorsementFactory.create(recommendation=recommendation, organization__name="Named Endorser")
    EndorsementFactory.create(recommendation=recommendation, organization__name="Unnamed Endorser", is_named=False)
    public = OrganizationFactory.create(name="Public Participant")
    secret = OrganizationFactory.create(name="Confidential Participant")
    network = OrganizationFactory.create(name="Network Participant")
    ParticipationFactory.create(convening=convening, organization=public, visibility="public")
    ParticipationFactory.create(convening=convening, organization=secret, visibility="confidential")
    ParticipationFactory.create(convening=convening, organization=network, visibility="network")
    NextStepFactory.create(convening=convening, text="Follow up", due_date=dt.date(2026, 2, 1)).owners.set(
        [public, secret, network]
    )
    OrganizationFactory.create(name="Unverified Org", verified_at=None)
    draft = ConveningFactory.create(code="DRAFT-1", title="Draft convening", status=Convening.Status.DRAFT)
    RecommendationFactory.create(convening=draft, headline="Draft headline")
    NextStepFactory.create(convening=draft, text="Draft step")
    LetterFactory.create(title="Open letter").recommendations.add(recommendation)
    LetterFactory.create(title="Draft letter", state="draft")
    return {"recommendation": recommendation}


def test_the_zip_holds_one_csv_per_entity_and_a_data_dictionary(world: dict[str, Any]) -> None:
    release = services.data_release_build()

    files = release_files(release)
    dictionary = table(files, "data-dictionary.csv")
    assert release.state == DataRelease.State.READY
    assert sorted(files) == sorted(FILES)
    assert release.row_counts["recommendations"] == 1
    assert table(files, "recommendations.csv")[0]["Reference"] == "CSD-2017-VIE/R2"
    assert table(files, "recommendations.csv")[0]["Permalink"] == f"{settings.SITE_URL}/convenings/vienna/r/2/"
    assert table(files, "recommendations.csv")[0]["Endorsements"] == "2"  # counted, named or not
    assert {row["file"] for row in dictionary} == {name for name in FILES if name.endswith(".csv")} - {
        "data-dictionary.csv"
    }
    reference = next(r for r in dictionary if (r["file"], r["column"]) == ("recommendations.csv", "Reference"))
    assert reference["description"].startswith("Citable reference")
    assert "version " + release.version in files["README.txt"]


def test_the_zip_carries_public_data_only(world: dict[str, Any]) -> None:
    files = release_files(services.data_release_build())

    # The directory lists every verified organization, as its page does; nowhere else names them.
    everything = "\n".join(text for name, text in files.items() if name != "organizations.csv")
    assert [row["Organization"] for row in table(files, "participations.csv")] == ["Public Participant"]
    assert [row["Owners"] for row in table(files, "next_steps.csv")] == ["Public Participant"]
    assert [row["Organization"] for row in table(files, "endorsements.csv")] == ["Named Endorser"]
    assert [row["Title"] for row in table(files, "letters.csv")] == ["Open letter"]
    hidden = ("Unnamed Endorser", "INTERNAL-NOTE", "Draft", "DRAFT-1", "Network Participant", "Confidential")
    assert [word for word in hidden if word in everything] == []
    assert "Unverified Org" not in files["organizations.csv"]


def test_building_twice_a_night_builds_once(world: dict[str, Any]) -> None:
    first = services.data_release_build()
    second = services.data_release_build()

    assert (second.pk, second.sha256, second.file.name) == (first.pk, first.sha256, first.file.name)
    assert DataRelease.objects.count() == 1


def test_a_stale_or_failed_build_is_taken_over(world: dict[str, Any]) -> None:
    now = timezone.now()
    version = now.astimezone(dt.UTC).date().isoformat()
    DataRelease.objects.create(version=version, started_at=now - dt.timedelta(hours=1))

    release = services.data_release_build(now=now)

    assert release.state == DataRelease.State.READY


def test_a_build_under_way_is_not_started_twice(world: dict[str, Any]) -> None:
    now = timezone.now()
    version = now.astimezone(dt.UTC).date().isoformat()
    DataRelease.objects.create(version=version, started_at=now - dt.timedelta(minutes=1))

    release = services.data_release_build(now=now)

    assert (release.state, release.file.name) == (DataRelease.State.PENDING, "")


def test_old_versions_are_pruned_with_their_files(world: dict[str, Any]) -> None:
    start = timezone.now()
    for days in range(3, 0, -1):
        services.data_release_build(now=start - dt.timedelta(days=days))
    oldest = DataRelease.objects.order_by("version").first()
    assert oldest is not None
    path = oldest.file.path

    services.data_releases_prune(keep=2)

    assert DataRelease.objects.count() == 2
    assert not DataRelease.objects.filter(pk=oldest.pk).exists()
    assert not os.path.exists(path)


def test_the_sweeper_keeps_open_data_files(world: dict[str, Any]) -> None:
    release = services.data_release_build()
    an_hour_ago = (timezone.now() - dt.timedelta(hours=1)).timestamp()
    os.utime(release.file.path, (an_hour_ago, an_hour_ago))  # past the sweeper's grace for young files

    services.documents_sweep()

    assert release.file.storage.exists(release.file.name)


def test_the_nightly_task_takes_no_arguments_and_returns_a_small_result(world: dict[str, Any]) -> None:
    result = tasks.data_release_build.delay().get()

    assert result["state"] == "ready"
    assert settings.CELERY_BEAT_SCHEDULE["publications-open-data"]["task"] == "publications.tasks.data_release_build"


def test_the_command_builds_and_reports(world: dict[str, Any]) -> None:
    out = io.StringIO()

    call_command("build_open_data", stdout=out)

    assert ": ready, " in out.getvalue()
    assert "recommendations 1" in out.getvalue()


def test_the_data_page_lists_versions_and_downloads_them(world: dict[str, Any]) -> None:
    release = services.data_release_build()

    page = Client().get("/data/").content.decode()
    response = Client().get(f"/data/{release.filename}")

    assert f'href="/data/{release.filename}"' in page
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{release.filename}"' in response["Content-Disposition"]
    assert sorted(unzip(response.getvalue())) == sorted(FILES)


def test_the_data_page_says_when_nothing_is_built_yet() -> None:
    response = Client().get("/data/")

    assert response.status_code == 200
    assert "No version has been built yet." in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/data/gsx-open-data-1999-01-01.zip", "/data/gsx-open-data-x.zip", "/data/gsx-open-data-%00.zip"]
)
def test_unknown_versions_answer_404(path: str) -> None:
    assert Client().get(path).status_code == 404


def test_the_data_page_refuses_post() -> None:
    assert Client().post("/data/").status_code == 405


def make_items(n: int) -> None:
    theme = ThemeFactory.create()
    for _ in range(n):
        recommendation = RecommendationFactory.create()
        recommendation.themes.add(theme)
        SubItemFactory.create(recommendation=recommendation)
        StatusUpdateFactory.create(recommendation=recommendation)
        AddresseeResponseFactory.create(recommendation=recommendation)
        EndorsementFactory.create(recommendation=recommendation)
        ParticipationFactory.create(convening=recommendation.convening)
        NextStepFactory.create(convening=recommendation.convening).owners.add(OrganizationFactory.create())
        LetterFactory.create().recommendations.add(recommendation)


def test_the_build_costs_the_same_queries_for_1_and_20_items() -> None:
    make_items(1)
    with CaptureQueriesContext(connection) as one:
        open_data.build_zip(version="v", made_at=timezone.now())
    make_items(19)
    with CaptureQueriesContext(connection) as twenty:
        built = open_data.build_zip(version="v", made_at=timezone.now())

    assert built.row_counts["recommendations"] == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)


def test_the_data_page_costs_the_same_queries_for_1_and_20_versions() -> None:
    start = timezone.now()
    services.data_release_build(now=start)
    with CaptureQueriesContext(connection) as one:
        Client().get("/data/")
    for days in range(1, 20):
        services.data_release_build(now=start - dt.timedelta(days=days))
    with CaptureQueriesContext(connection) as twenty:
        page = Client().get("/data/").content.decode()

    assert page.count('href="/data/gsx-open-data-') == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)
