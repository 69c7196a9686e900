from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth.models import User

from conftest import ROUNDTABLE, VIENNA, seed_text
from events.models import Convening, Footnote, KeyTheme, NextStep, Paragraph, Participation, Session
from events.text import render_markdown
from importing.parser import parse_summary
from importing.services import (
    ImportMetadata,
    ImportRefused,
    convening_find_previous_import,
    convening_import,
    convening_import_diff,
    problem_excerpts,
    source_sha256,
)
from importing.tests.documents import NO_NUMBERING, SMALL_SUMMARY, SMALL_SUMMARY_CORRECTED
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Recommendation, SubItem
from recommendations.services import recommendation_promote

pytestmark = pytest.mark.django_db


def _import(text: str, user: User | None = None, **kwargs: Any) -> Convening:
    result = parse_summary(text)
    metadata = ImportMetadata.from_result(result, source_sha256=source_sha256(text))
    return convening_import(result=result, metadata=metadata, user=user, **kwargs)


def test_convening_import_vienna_creates_every_part(secretariat: User) -> None:
    convening = _import(seed_text(VIENNA), user=secretariat)

    sessions = list(convening.sessions.order_by("order"))
    assert convening.status == Convening.Status.DRAFT
    assert convening.code == "CSD-2017-VIE"
    assert convening.kind == Convening.Kind.CIVIL_SOCIETY_DAY
    assert convening.start_date == dt.date(2017, 5, 25)
    assert (convening.city, convening.venue, convening.country) == ("Vienna", "Hofburg", "Austria")
    assert convening.recommendations.count() == 13
    assert SubItem.objects.filter(recommendation__convening=convening).count() == 18
    assert [s.paragraphs.count() for s in sessions] == [5, 10, 6, 5, 5]
    assert list(convening.paragraphs.values_list("number", flat=True)) == list(range(1, 32))
    assert convening.footnotes.count() == 2
    assert convening.key_themes.count() == 6
    assert convening.history.first().history_user == secretariat


def test_convening_import_vienna_sub_items_sit_under_their_recommendations() -> None:
    convening = _import(seed_text(VIENNA))

    letters = {
        rec.number: "".join(rec.sub_items.order_by("letter").values_list("letter", flat=True))
        for rec in convening.recommendations.all()
        if rec.sub_items.exists()
    }
    assert letters == {2: "abcdef", 5: "abcd", 6: "abc", 9: "abcde"}


def test_convening_import_roundtable_gives_paragraphs_and_no_recommendations() -> None:
    convening = _import(seed_text(ROUNDTABLE))

    assert convening.code == "RT-2017-NY"
    assert convening.recommendations.count() == 0
    assert list(convening.paragraphs.values_list("number", flat=True)) == list(range(1, 9))
    assert convening.sessions.count() == 1
    step = NextStep.objects.get(convening=convening)
    assert step.source_paragraph == convening.paragraphs.get(number=8)


def test_convening_import_keeps_footnote_markers_where_the_page_links_them() -> None:
    convening = _import(seed_text(VIENNA))

    marked = Paragraph.objects.filter(convening=convening, text__contains="[^2]")
    assert marked.count() == 1
    assert 'href="#fn2"' in render_markdown(marked.get().text)


def test_convening_import_without_numbering_keeps_paragraphs() -> None:
    convening = _import(NO_NUMBERING)

    assert list(convening.paragraphs.values_list("number", flat=True)) == [1, 2]
    assert convening.kind == Convening.Kind.WORKSHOP


def test_convening_import_codes_and_slugs_stay_unique() -> None:
    first = _import(SMALL_SUMMARY)
    second = _import(SMALL_SUMMARY)

    assert (first.code, first.slug) == ("RT-2019-NAI", "rt-2019-nairobi")
    assert (second.code, second.slug) == ("RT-2019-NAI-2", "rt-2019-nairobi-2")


def test_convening_import_same_text_again_changes_nothing() -> None:
    convening = _import(seed_text(VIENNA))
    paragraph_ids = list(convening.paragraphs.values_list("pk", flat=True))
    result = parse_summary(seed_text(VIENNA))

    diff = convening_import_diff(result=result, convening=convening)
    convening_import(result=result, metadata=ImportMetadata.from_convening(convening), user=None, into=convening)

    assert diff.has_changes is False
    assert list(convening.paragraphs.values_list("pk", flat=True)) == paragraph_ids
    assert Recommendation.objects.filter(convening=convening).count() == 13
    assert SubItem.objects.filter(recommendation__convening=convening).count() == 18
    assert Convening.objects.count() == 1


def test_convening_import_diff_lists_added_changed_and_removed() -> None:
    convening = _import(SMALL_SUMMARY)

    diff = convening_import_diff(result=parse_summary(SMALL_SUMMARY_CORRECTED), convening=convening)

    paragraphs = next(part for part in diff.parts if part.part == "paragraphs")
    steps = next(part for part in diff.parts if part.part == "next_steps")
    assert (paragraphs.added, paragraphs.changed, paragraphs.removed) == (["¶3"], ["¶2"], [])
    assert steps.has_changes
    assert diff.has_changes


def test_convening_import_into_draft_updates_rows_in_place() -> None:
    convening = _import(SMALL_SUMMARY)
    first, second = convening.paragraphs.order_by("number")
    result = parse_summary(SMALL_SUMMARY_CORRECTED)

    convening_import(result=result, metadata=ImportMetadata.from_convening(convening), user=None, into=convening)

    updated = list(convening.paragraphs.order_by("number"))
    assert [p.pk for p in updated[:2]] == [first.pk, second.pk]
    assert "open handbook" in updated[1].text
    assert [p.number for p in updated] == [1, 2, 3]
    assert Convening.objects.count() == 1


def test_convening_import_into_draft_removes_parts_gone_from_the_text() -> None:
    convening = _import(SMALL_SUMMARY_CORRECTED)

    diff = convening_import_diff(result=parse_summary(SMALL_SUMMARY), convening=convening)
    convening_import(
        result=parse_summary(SMALL_SUMMARY),
        metadata=ImportMetadata.from_convening(convening),
        user=None,
        into=convening,
    )

    assert next(part for part in diff.parts if part.part == "paragraphs").removed == ["¶3"]
    assert list(convening.paragraphs.values_list("number", flat=True)) == [1, 2]


def test_convening_import_into_published_is_refused_and_changes_nothing() -> None:
    convening = _import(SMALL_SUMMARY, publish=True)
    before = list(convening.paragraphs.values_list("text", flat=True))

    with pytest.raises(ImportRefused, match="published"):
        convening_import(
            result=parse_summary(SMALL_SUMMARY_CORRECTED),
            metadata=ImportMetadata.from_convening(convening),
            user=None,
            into=convening,
        )

    assert list(convening.paragraphs.values_list("text", flat=True)) == before


def test_convening_import_without_date_is_refused_and_writes_nothing() -> None:
    text = "Roundtable on Mediation\n\n1. A numbered paragraph without any date in sight.\n"
    result = parse_summary(text)

    with pytest.raises(ImportRefused, match="date"):
        convening_import(result=result, metadata=ImportMetadata.from_result(result), user=None)

    assert (Convening.objects.count(), Paragraph.objects.count(), Session.objects.count()) == (0, 0, 0)


def test_convening_import_takes_metadata_as_a_dict() -> None:
    result = parse_summary(SMALL_SUMMARY)

    convening = convening_import(
        result=result,
        metadata={"title": "Mediation roundtable", "start_date": dt.date(2019, 3, 5), "kind": "workshop"},
        user=None,
    )

    assert (convening.title, convening.start_date, convening.code) == (
        "Mediation roundtable",
        dt.date(2019, 3, 5),
        "WS-2019",
    )


def test_convening_import_with_publish_publishes() -> None:
    convening = _import(SMALL_SUMMARY, publish=True)

    convening.refresh_from_db()
    assert convening.status == Convening.Status.PUBLISHED
    assert convening.published_at is not None


def test_convening_import_adds_convenors_as_participations() -> None:
    listed = OrganizationFactory.create(name="Listed Convenor")
    result = parse_summary(SMALL_SUMMARY)
    metadata = ImportMetadata.from_result(result, convenors=[listed], new_convenors=["Brand New Network"])

    convening = convening_import(result=result, metadata=metadata, user=None)

    convenors = Participation.objects.filter(convening=convening, role=Participation.Role.CONVENOR)
    assert sorted(p.organization.name for p in convenors) == ["Brand New Network", "Listed Convenor"]
    assert {p.visibility for p in convenors} == {Participation.Visibility.PUBLIC}
    assert Organization.objects.get(name="Brand New Network").verified_at is None


def test_convening_find_previous_import_by_text_then_by_title_and_date() -> None:
    convening = _import(SMALL_SUMMARY)
    corrected = parse_summary(SMALL_SUMMARY_CORRECTED)

    by_text = convening_find_previous_import(
        sha256=source_sha256(SMALL_SUMMARY), metadata=ImportMetadata.from_result(parse_summary(SMALL_SUMMARY))
    )
    by_title = convening_find_previous_import(
        sha256=source_sha256(SMALL_SUMMARY_CORRECTED), metadata=ImportMetadata.from_result(corrected)
    )
    unknown = convening_find_previous_import(
        sha256=source_sha256(NO_NUMBERING), metadata=ImportMetadata.from_result(parse_summary(NO_NUMBERING))
    )

    assert (by_text, by_title, unknown) == (convening, convening, None)


def test_source_sha256_ignores_line_endings_and_trailing_spaces() -> None:
    assert source_sha256("a  \r\nb\n") == source_sha256("a\nb")


def test_problem_excerpts_quote_the_line_each_problem_points_at() -> None:
    result = parse_summary(NO_NUMBERING)

    excerpts = problem_excerpts(text=NO_NUMBERING, problems=result.problems)

    line = NO_NUMBERING.split("\n")[result.problems[0].line - 1]
    assert excerpts[0][1] == line.strip()
    assert "No numbering" in excerpts[0][0].message


def test_recommendation_promote_numbers_after_the_last_and_keeps_provenance(secretariat: User) -> None:
    convening = _import(seed_text(VIENNA))
    sources = list(convening.paragraphs.filter(number__in=[7, 8]))

    rec = recommendation_promote(paragraphs=sources, headline="  Fund   mediators ", body="Body.", user=secretariat)

    assert (rec.number, rec.headline) == (14, "Fund mediators")
    assert sorted(p.number for p in rec.source_paragraphs.all()) == [7, 8]
    assert list(convening.paragraphs.get(number=7).promoted_recommendations.all()) == [rec]


def test_recommendation_promote_on_published_keeps_existing_numbers() -> None:
    convening = _import(seed_text(VIENNA), publish=True)
    before = list(convening.recommendations.order_by("pk").values_list("pk", "number"))

    rec = recommendation_promote(
        paragraphs=[convening.paragraphs.get(number=3)], headline="Publish a handbook", body="", user=None
    )

    assert rec.number == 14
    assert list(convening.recommendations.exclude(pk=rec.pk).order_by("pk").values_list("pk", "number")) == before


def test_convening_import_again_keeps_promoted_recommendations() -> None:
    convening = _import(seed_text(ROUNDTABLE))
    promoted = recommendation_promote(
        paragraphs=[convening.paragraphs.get(number=5)], headline="Write a one-page brief", body="", user=None
    )
    result = parse_summary(seed_text(ROUNDTABLE))

    diff = convening_import_diff(result=result, convening=convening)
    convening_import(result=result, metadata=ImportMetadata.from_convening(convening), user=None, into=convening)

    assert diff.kept == ["R1"]
    assert diff.has_changes is False
    assert list(convening.recommendations.all()) == [promoted]
    assert [p.number for p in promoted.source_paragraphs.all()] == [5]


def test_convening_import_refused_writes_no_part() -> None:
    result = parse_summary(SMALL_SUMMARY)
    metadata = ImportMetadata.from_result(result, end_date=dt.date(2019, 1, 1))

    with pytest.raises(ImportRefused, match="end date"):
        convening_import(result=result, metadata=metadata, user=None)

    assert (Convening.objects.count(), KeyTheme.objects.count(), Footnote.objects.count()) == (0, 0, 0)


def test_convening_import_refuses_numbers_out_of_range() -> None:
    result = parse_summary(SMALL_SUMMARY)
    session = result.sessions[0]
    huge = replace(session.paragraphs[0], number=10**9)
    broken = replace(result, sessions=[replace(session, paragraphs=[huge])])

    with pytest.raises(ImportRefused, match="out of range"):
        convening_import(result=broken, metadata=ImportMetadata.from_result(result), user=None)

    assert Convening.objects.count() == 0
