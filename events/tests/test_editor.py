"""The convening editor: its page in a fixed number of queries, the bulk actions, the inline form
of one recommendation, the participants table and the confirmed state changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from events.models import Convening, Participation
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.models import ConfidentialAccess, Organization
from organizations.tests.factories import OrganizationFactory
from recommendations.models import AddresseeResponse, Recommendation, Status, StatusUpdate
from recommendations.services import status_updates_record
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _editor(convening: Convening) -> str:
    return reverse("secretariat:convening_edit", kwargs={"slug": convening.slug})


def _bulk(convening: Convening) -> str:
    return reverse("secretariat:recommendations_bulk", kwargs={"slug": convening.slug})


def _convening_with(count: int) -> Convening:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    themes = [ThemeFactory.create() for _ in range(3)]
    addressees = [AddresseeFactory.create() for _ in range(3)]
    for number in range(1, count + 1):
        recommendation = RecommendationFactory.create(convening=convening, number=number)
        recommendation.themes.set(themes[: number % 3])
        recommendation.addressees.set(addressees[: (number + 1) % 3])
        EndorsementFactory.create(recommendation=recommendation)
        StatusUpdate.objects.create(recommendation=recommendation, status=Status.SUBMITTED, date=dt.date(2025, 6, 1))
    for visibility in Participation.Visibility.values:
        ParticipationFactory.create(convening=convening, visibility=visibility)
    return convening


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [13, 60])
def test_editor_page_query_count_is_constant(secretariat: User, django_assert_max_num_queries: Any, count: int) -> None:
    convening = _convening_with(count)
    client = _client(secretariat)

    with django_assert_max_num_queries(15):
        response = client.get(_editor(convening))

    assert response.status_code == 200
    assert response.content.decode().count('name="selected"') == count


def test_editor_page_runs_the_same_queries_at_13_and_60_recommendations(secretariat: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(secretariat)
    counts = []
    for count in (13, 60):
        url = _editor(_convening_with(count))
        client.get(url)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1] <= 15


def test_editor_page_shows_the_compact_row_of_a_recommendation(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    recommendation = RecommendationFactory.create(convening=convening, number=4, headline="Fund youth networks")
    recommendation.themes.add(ThemeFactory.create(name="Youth"))
    EndorsementFactory.create(recommendation=recommendation)
    EndorsementFactory.create(recommendation=recommendation, is_named=False)
    StatusUpdate.objects.create(recommendation=recommendation, status=Status.SUBMITTED, date=dt.date(2025, 6, 2))

    response = _client(secretariat).get(_editor(convening))

    row = response.context["recommendations"][0]
    assert (row.number, row.endorsement_count, row.last_update) == (4, 2, dt.date(2025, 6, 2))
    content = response.content.decode()
    assert "Fund youth networks" in content
    assert "no addressee" in content


def test_editor_page_marks_a_confidential_participant_and_logs_the_access(secretariat: User) -> None:
    convening = ConveningFactory.create()
    ParticipationFactory.create(
        convening=convening, organization__name="Sheltered Voices", visibility=Participation.Visibility.CONFIDENTIAL
    )

    content = _client(secretariat).get(_editor(convening)).content.decode()

    assert 'class="badge confidential-marker">Confidential' in content
    assert ConfidentialAccess.objects.filter(what__startswith="convening editor").count() == 1


def test_editor_page_can_show_only_the_untagged_recommendations(secretariat: User) -> None:
    convening = ConveningFactory.create()
    tagged = RecommendationFactory.create(convening=convening, number=1)
    tagged.themes.add(ThemeFactory.create())
    tagged.addressees.add(AddresseeFactory.create())
    RecommendationFactory.create(convening=convening, number=2)

    response = _client(secretariat).get(_editor(convening) + "?missing=1")

    assert [r.number for r in response.context["recommendations"]] == [2]


# --- the header ----------------------------------------------------------------------------------


def _header_data(convening: Convening, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": convening.title,
        "code": convening.code,
        "kind": convening.kind,
        "series": convening.series,
        "start_date": convening.start_date.isoformat(),
        "end_date": "",
        "city": convening.city,
        "venue": "",
        "country": convening.country,
        "host_conference": "",
        "summary_title": "",
        "rule": convening.rule,
        "disclaimer": "",
    }
    data.update(overrides)
    return data


def test_header_form_saves_the_header_and_moves_the_content_version(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    version = convening.content_version

    response = _client(secretariat).post(_editor(convening), _header_data(convening, venue="Hofburg"))

    convening.refresh_from_db()
    assert response.status_code == 302
    assert (convening.venue, convening.content_version) == ("Hofburg", version + 1)


def test_header_form_keeps_the_code_of_a_published_convening(secretariat: User) -> None:
    convening = ConveningFactory.create(code="CSD-2025-KEEP")

    _client(secretariat).post(_editor(convening), _header_data(convening, code="CSD-2025-MOVED", city="Graz"))

    convening.refresh_from_db()
    assert (convening.code, convening.city) == ("CSD-2025-KEEP", "Graz")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"start_date": "not a date"}, "Enter a valid date."),
        ({"end_date": "2020-01-01"}, "The end date is before the start date."),
        ({"kind": "banquet"}, "Select a valid choice."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters"),
    ],
)
def test_header_form_answers_bad_input_with_a_message(
    secretariat: User, overrides: dict[str, str], message: str
) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT, title="Kept title")

    response = _client(secretariat).post(_editor(convening), _header_data(convening, **overrides))

    convening.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert convening.title == "Kept title"


# --- bulk actions ------------------------------------------------------------------------------


def test_bulk_adds_a_theme_to_every_recommendation(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    recommendations = [RecommendationFactory.create(convening=convening, number=n) for n in range(1, 14)]
    theme = ThemeFactory.create(name="Youth")

    response = _client(secretariat).post(
        _bulk(convening), {"scope": "all", "do": "tag", "change": f"theme+:{theme.pk}"}
    )

    assert response.status_code == 302
    assert sorted(theme.recommendations.values_list("number", flat=True)) == [r.number for r in recommendations]


def test_bulk_adds_an_addressee_to_the_ticked_rows_and_derives_their_status(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    recommendations = [RecommendationFactory.create(convening=convening, number=n) for n in range(1, 8)]
    addressee = AddresseeFactory.create()
    ticked = recommendations[:5]

    _client(secretariat).post(
        _bulk(convening),
        {"scope": "ticked", "do": "tag", "change": f"addressee+:{addressee.pk}", "selected": [r.pk for r in ticked]},
    )

    assert sorted(addressee.recommendations.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert AddresseeResponse.objects.filter(addressee=addressee).count() == 5


def test_bulk_removes_a_theme_only_where_it_was(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    theme, other = ThemeFactory.create(), ThemeFactory.create()
    first = RecommendationFactory.create(convening=convening, number=1)
    first.themes.set([theme, other])
    RecommendationFactory.create(convening=convening, number=2)

    response = _client(secretariat).post(
        _bulk(convening), {"scope": "all", "do": "tag", "change": f"theme-:{theme.pk}"}, follow=True
    )

    assert list(first.themes.all()) == [other]
    assert "1 of 2 recommendations changed" in response.content.decode()


def test_bulk_sets_the_owner_of_follow_up_on_every_response(secretariat: User) -> None:
    convening = ConveningFactory.create()
    owner = OrganizationFactory.create()
    addressees = [AddresseeFactory.create(), AddresseeFactory.create()]
    with_addressees = RecommendationFactory.create(convening=convening, number=1)
    with_addressees.addressees.set(addressees)
    RecommendationFactory.create(convening=convening, number=2)

    _client(secretariat).post(_bulk(convening), {"scope": "all", "do": "owner", "owner": owner.pk})

    assert list(AddresseeResponse.objects.values_list("recommendation__number", "owner")) == [(1, owner.pk)] * 2


def test_bulk_records_one_status_update_for_many(secretariat: User) -> None:
    convening = ConveningFactory.create()
    recommendations = [RecommendationFactory.create(convening=convening, number=n) for n in range(1, 4)]

    _client(secretariat).post(
        _bulk(convening),
        {
            "scope": "ticked",
            "selected": [r.pk for r in recommendations[:2]],
            "do": "status",
            "status": "submitted",
            "date": "2025-06-01",
            "source": "secretariat",
            "public_reason": "Sent to the addressees",
        },
    )

    assert sorted(StatusUpdate.objects.values_list("recommendation__number", "status")) == [
        (1, "submitted"),
        (2, "submitted"),
    ]
    assert list(Recommendation.objects.order_by("number").values_list("status", flat=True)) == [
        "submitted",
        "submitted",
        "proposed",
    ]


def _bad_bulk_cases(convening: Convening, other: Recommendation) -> list[tuple[dict[str, Any], str]]:
    own = convening.recommendations.first()
    assert own is not None
    status = {"do": "status", "status": "submitted", "source": "secretariat", "public_reason": "Sent"}
    return [
        ({"scope": "ticked", "do": "tag", "change": "theme+:999999"}, "Select a valid choice"),
        ({"scope": "ticked", "do": "tag", "change": ""}, "This field is required."),
        ({"scope": "ticked", "do": "tag", "change": "theme+:1", "selected": []}, "Tick at least one recommendation"),
        ({"scope": "ticked", "do": "owner", "selected": [own.pk]}, "This field is required."),
        ({"scope": "ticked", "do": "owner", "owner": "abc", "selected": [own.pk]}, "Select a valid choice"),
        ({"scope": "ticked", "do": "tag", "selected": [other.pk], "change": "x"}, "Select a valid choice"),
        ({"scope": "ticked", "do": "tag", "selected": ["not-a-number"]}, "is not a valid value"),
        ({"scope": "everything", "do": "tag"}, "Select a valid choice"),
        ({"scope": "all", "do": "explode"}, "Choose one of the bulk actions."),
        ({"scope": "all", **status, "date": "2999-01-01"}, "is in the future"),
        ({"scope": "all", **status, "date": "1999-01-01"}, "before the convening"),
        ({"scope": "all", **status, "date": "2025-06-01", "status": "finished"}, "Select a valid choice"),
        ({"scope": "all", **status, "date": "2025-06-01", "evidence_url": "javascript:alert(1)"}, "http://"),
        ({"scope": "all", **status, "date": "2025-06-01", "public_reason": ""}, "This field is required."),
    ]


def test_bulk_answers_bad_input_with_a_message_and_changes_nothing(secretariat: User) -> None:
    convening = ConveningFactory.create(start_date=dt.date(2025, 5, 25))
    RecommendationFactory.create(convening=convening, number=1)
    other = RecommendationFactory.create()
    client = _client(secretariat)

    for data, message in _bad_bulk_cases(convening, other):
        response = client.post(_bulk(convening), data)

        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert StatusUpdate.objects.count() == 0
    assert Recommendation.themes.through.objects.count() == 0


def test_bulk_status_update_refused_for_one_is_recorded_for_none(secretariat: User) -> None:
    first = RecommendationFactory.create(convening__start_date=dt.date(2025, 5, 1))
    second = RecommendationFactory.create(convening__start_date=dt.date(2026, 1, 1))

    with pytest.raises(ValidationError, match=second.reference):
        status_updates_record(
            recommendations=[first, second],
            user=secretariat,
            status="submitted",
            date=dt.date(2025, 6, 1),
            source="secretariat",
            public_reason="Sent",
            due_date=dt.date(2025, 7, 1),
        )

    assert StatusUpdate.objects.count() == 0


# --- one recommendation inline ------------------------------------------------------------------


def _edit_url(recommendation: Recommendation) -> str:
    return reverse(
        "secretariat:recommendation_edit",
        kwargs={"slug": recommendation.convening.slug, "number": recommendation.number},
    )


def test_inline_edit_with_htmx_swaps_the_row(secretariat: User) -> None:
    recommendation = RecommendationFactory.create(number=3)
    theme = ThemeFactory.create(name="Gender")
    client = _client(secretariat)

    form = client.get(_edit_url(recommendation), HTTP_HX_REQUEST="true")
    saved = client.post(
        _edit_url(recommendation),
        {"headline": "  A  sharper headline ", "body": "More.", "themes": [theme.pk]},
        HTTP_HX_REQUEST="true",
    )

    recommendation.refresh_from_db()
    assert form.content.decode().startswith('<tr id="r3" class="editing">')
    assert saved.content.decode().startswith('<tr id="r3" class="changed">')
    assert (recommendation.headline, list(recommendation.themes.all())) == ("A sharper headline", [theme])


def test_inline_edit_without_javascript_is_a_page_and_a_redirect(secretariat: User) -> None:
    recommendation = RecommendationFactory.create(number=2)
    client = _client(secretariat)

    page = client.get(_edit_url(recommendation))
    saved = client.post(_edit_url(recommendation), {"headline": "Plain headline", "body": ""})

    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert saved["Location"].endswith("#r2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"headline": "   "}, "This field is required."),
        ({"headline": "x" * 501}, "at most 500 characters"),
        ({"headline": "Ok", "themes": ["999999"]}, "Select a valid choice"),
        ({"headline": "Ok", "addressees": ["nope"]}, "is not a valid value"),
    ],
)
def test_inline_edit_answers_bad_input_and_keeps_the_recommendation(
    secretariat: User, data: dict[str, Any], message: str
) -> None:
    recommendation = RecommendationFactory.create(headline="Kept")

    for headers in ({}, {"HX-Request": "true"}):
        response = _client(secretariat).post(_edit_url(recommendation), data, headers=headers)

        assert response.status_code == 200
        assert message in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.headline == "Kept"


# --- participants ---------------------------------------------------------------------------------


def test_participant_search_finds_organizations_not_yet_taking_part(secretariat: User) -> None:
    convening = ConveningFactory.create()
    ParticipationFactory.create(convening=convening, organization__name="Harbour Youth Taking Part")
    OrganizationFactory.create(name="Harbour Youth Network")
    url = reverse("secretariat:participant_search", kwargs={"slug": convening.slug})

    response = _client(secretariat).get(url, {"org_q": "harbour"}, HTTP_HX_REQUEST="true")

    assert [o.name for o in response.context["organization_results"]] == ["Harbour Youth Network"]


def test_participant_search_without_javascript_is_the_editor_page(secretariat: User) -> None:
    convening = ConveningFactory.create()
    OrganizationFactory.create(name="Harbour Youth Network")

    response = _client(secretariat).get(_editor(convening), {"org_q": "Harbour"})

    assert [o.name for o in response.context["organization_results"]] == ["Harbour Youth Network"]


def test_participant_add_is_confidential_unless_chosen(secretariat: User) -> None:
    convening = ConveningFactory.create()
    organization = OrganizationFactory.create()
    url = reverse("secretariat:participant_add", kwargs={"slug": convening.slug})

    _client(secretariat).post(url, {"organization": organization.pk, "role": "speaker", "visibility": "confidential"})

    assert list(convening.participations.values_list("organization", "role", "visibility")) == [
        (organization.pk, "speaker", "confidential")
    ]


def test_participant_change_and_remove(secretariat: User) -> None:
    participation = ParticipationFactory.create(visibility=Participation.Visibility.PUBLIC)
    url = reverse(
        "secretariat:participant_change", kwargs={"slug": participation.convening.slug, "pk": participation.pk}
    )
    client = _client(secretariat)

    client.post(url, {"role": "co_chair", "visibility": "network"})
    participation.refresh_from_db()
    changed = (participation.role, participation.visibility)
    client.post(url, {"remove": "1"})

    assert changed == ("co_chair", "network")
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"organization": "", "role": "speaker", "visibility": "public"},
        {"organization": "999999", "role": "speaker", "visibility": "public"},
        {"organization": "ORG", "role": "king", "visibility": "public"},
        {"organization": "ORG", "role": "speaker", "visibility": "everyone"},
        {"organization": "TAKEN", "role": "speaker", "visibility": "public"},
    ],
)
def test_participant_add_answers_bad_input_with_a_message(secretariat: User, data: dict[str, str]) -> None:
    convening = ConveningFactory.create()
    taken = ParticipationFactory.create(convening=convening).organization
    organization = OrganizationFactory.create()
    data = {k: str(organization.pk) if v == "ORG" else str(taken.pk) if v == "TAKEN" else v for k, v in data.items()}
    url = reverse("secretariat:participant_add", kwargs={"slug": convening.slug})

    response = _client(secretariat).post(url, data)

    assert response.status_code == 200
    assert "The participant was not added" in response.content.decode()
    assert convening.participations.count() == 1


def test_participant_change_answers_bad_input_with_a_message(secretariat: User) -> None:
    participation = ParticipationFactory.create(role="speaker")
    url = reverse(
        "secretariat:participant_change", kwargs={"slug": participation.convening.slug, "pk": participation.pk}
    )

    response = _client(secretariat).post(url, {"role": "emperor", "visibility": "public"})

    participation.refresh_from_db()
    assert "The participation was not changed" in response.content.decode()
    assert participation.role == "speaker"


def test_participant_of_another_convening_is_not_found(secretariat: User) -> None:
    participation = ParticipationFactory.create()
    other = ConveningFactory.create()
    url = reverse("secretariat:participant_change", kwargs={"slug": other.slug, "pk": participation.pk})

    assert _client(secretariat).post(url, {"remove": "1"}).status_code == 404
    assert Participation.objects.count() == 1


# --- publish, unpublish, archive -------------------------------------------------------------------


def _state(convening: Convening, action: str) -> str:
    return reverse("secretariat:convening_state", kwargs={"slug": convening.slug, "action": action})


def test_each_state_change_asks_for_confirmation_first(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    client = _client(secretariat)

    pages = {action: client.get(_state(convening, action)) for action in ("publish", "unpublish", "archive")}

    convening.refresh_from_db()
    assert {action: page.status_code for action, page in pages.items()} == dict.fromkeys(pages, 200)
    assert (convening.status, convening.archived_at) == (Convening.Status.DRAFT, None)


def test_publish_unpublish_archive_and_back_through_the_services(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    client = _client(secretariat)
    seen = []

    for action in ("publish", "archive", "unarchive", "unpublish"):
        assert client.post(_state(convening, action)).status_code == 302
        convening.refresh_from_db()
        seen.append((convening.status, convening.archived_at is not None))

    assert seen == [("published", False), ("published", True), ("published", False), ("draft", False)]


def test_publishing_a_likely_duplicate_needs_the_second_yes(secretariat: User) -> None:
    original = ConveningFactory.create()
    duplicate = ConveningFactory.create(status=Convening.Status.DRAFT, duplicate_of=original)
    client = _client(secretariat)

    refused = client.post(_state(duplicate, "publish"))
    duplicate.refresh_from_db()
    status_after_refusal = duplicate.status
    client.post(_state(duplicate, "publish"), {"confirm_duplicate": "1"})
    duplicate.refresh_from_db()

    assert refused.status_code == 200
    assert "looks like a duplicate" in refused.content.decode()
    assert (status_after_refusal, duplicate.status) == ("draft", "published")


def test_an_unknown_state_action_is_not_found(secretariat: User) -> None:
    convening = ConveningFactory.create()

    assert _client(secretariat).post(_state(convening, "explode")).status_code == 404


# --- the worklist ---------------------------------------------------------------------------------


def test_worklist_lists_what_waits_for_the_secretariat(secretariat: User) -> None:
    today = dt.date.today()
    draft = ConveningFactory.create(status=Convening.Status.DRAFT, imported_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    RecommendationFactory.create(convening=draft)
    NextStepFactory.create(convening=draft, due_date=today - dt.timedelta(days=2))
    NextStepFactory.create(convening=draft, due_date=today + dt.timedelta(days=30))
    LetterFactory.create(closes_on=today + dt.timedelta(days=3))
    LetterFactory.create(closes_on=today + dt.timedelta(days=30))
    OrganizationFactory.create(verified_at=None)

    response = _client(secretariat).get(reverse("secretariat:index"))

    counts = {entry.key: entry.count for entry in response.context["worklist"]}
    assert counts == {
        "imported_drafts": 1,
        "next_steps_due": 1,
        "untagged": 1,
        "letters_closing": 1,
        "organizations_pending": 1,
    }
    untagged = next(e for e in response.context["worklist"] if e.key == "untagged")
    assert untagged.more == 0  # one convening, its one untagged recommendation
    content = response.content.decode()
    assert _editor(draft) + "?missing=1" in content
    assert reverse("organizations_pending") in content


def test_worklist_counts_beyond_the_items_it_shows(secretariat: User) -> None:
    for _ in range(7):
        OrganizationFactory.create(verified_at=None)

    response = _client(secretariat).get(reverse("secretariat:index"))

    entry = next(e for e in response.context["worklist"] if e.key == "organizations_pending")
    assert (entry.count, len(entry.items), entry.more) == (7, 5, 2)
    assert Organization.objects.filter(verified_at=None).count() == 7
