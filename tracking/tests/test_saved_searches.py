"""Alerts on a saved search: saved from the list, kept on "What you follow", sent in the digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Convening
from events.tests.factories import ConveningFactory
from organizations.tests.factories import OrganizationFactory, UserFactory
from recommendations.models import Recommendation, Status
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, ThemeFactory
from tracking.models import SavedSearch
from tracking.selectors import digest_content, digest_recipients, saved_search_labels
from tracking.services import (
    MAX_SAVED_QUERY_LENGTH,
    MAX_SAVED_SEARCHES,
    digest_send,
    saved_search_create,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
WEEK_AGO = NOW - dt.timedelta(days=7)


def _on_theme(slug: str, count: int = 1, **extra) -> list[Recommendation]:
    theme = ThemeFactory.create(name=slug.title(), slug=slug)
    recommendations = RecommendationFactory.create_batch(count, **extra)
    for recommendation in recommendations:
        recommendation.themes.add(theme)
    return recommendations


# --- The service: what can be saved ----------------------------------------------------------


def test_saved_search_create_stores_the_understood_filters_sorted_without_paging(cso_member) -> None:
    search = saved_search_create(user=cso_member, query="theme=youth&status=implemented&page=3&sort=newest&q=")

    assert search.query == "status=implemented&theme=youth"
    assert search.list_url() == "/recommendations/?status=implemented&theme=youth"
    assert saved_search_labels([search.query], user=cso_member) == ["Status: Implemented · Theme: Youth"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose at least one filter"),
        ("page=2&sort=newest", "Choose at least one filter"),
        ("theme=youth&colour=red", "parameters the recommendations list does not know"),
        ("status=flying", "could not be read, so the search was not saved: Status"),
        ("year=abc", "could not be read"),
        ("q=" + "x" * MAX_SAVED_QUERY_LENGTH, "too long to save"),
        ("endorsed_by=nobody-at-all", "No organization by that address"),
    ],
)
def test_saved_search_create_refuses_bad_queries_with_a_message(cso_member, query, message) -> None:
    with pytest.raises(ValidationError) as refused:
        saved_search_create(user=cso_member, query=query)

    assert message in " ".join(refused.value.messages)
    assert SavedSearch.objects.count() == 0


def test_saved_search_create_refuses_a_duplicate_and_more_than_the_cap(cso_member) -> None:
    saved_search_create(user=cso_member, query="theme=youth")
    with pytest.raises(ValidationError, match="already have an alert"):
        saved_search_create(user=cso_member, query="theme=youth&page=2")
    for n in range(MAX_SAVED_SEARCHES - 1):
        saved_search_create(user=cso_member, query=f"q=word{n}")

    with pytest.raises(ValidationError, match="the most one can keep"):
        saved_search_create(user=cso_member, query="theme=gender")

    assert SavedSearch.objects.filter(user=cso_member).count() == MAX_SAVED_SEARCHES


def test_an_unnamed_endorser_answers_like_an_organization_that_does_not_exist(cso_member) -> None:
    hidden = OrganizationFactory.create(slug="quiet-org", verified_at=timezone.now())
    EndorsementFactory.create(organization=hidden, recommendation=RecommendationFactory.create(), is_named=False)

    messages = []
    for slug in ("quiet-org", "no-such-org"):
        with pytest.raises(ValidationError) as refused:
            saved_search_create(user=cso_member, query=f"endorsed_by={slug}")
        messages.append(refused.value.messages)

    assert messages[0] == messages[1]
    assert SavedSearch.objects.count() == 0


# --- The views: the list's button and "What you follow" ------------------------------------


def test_list_page_offers_the_alert_button_to_signed_in_readers_with_filters_only(client, cso_member) -> None:
    _on_theme("youth")
    anonymous = Client().get("/recommendations/?theme=youth").content.decode()
    client.force_login(cso_member)
    unfiltered = client.get("/recommendations/").content.decode()
    filtered = client.get("/recommendations/?theme=youth").content.decode()

    assert "Alert me on this search" not in anonymous
    assert "Alert me on this search" not in unfiltered
    assert "Alert me on this search" in filtered
    assert 'name="query" value="theme=youth"' in filtered


def test_alert_button_saves_and_returns_to_the_list_then_following_page_removes_it(client, cso_member) -> None:
    client.force_login(cso_member)

    saved = client.post(reverse("tracking:saved_search_create"), {"query": "theme=youth&page=2"}, follow=True)
    search = SavedSearch.objects.get(user=cso_member)
    following = client.get(reverse("tracking:following")).content.decode()
    removed = client.post(reverse("tracking:saved_search_delete", args=[search.pk]), follow=True)

    assert saved.redirect_chain[0][0] == "/recommendations/?theme=youth"
    assert "will arrive in your weekly digest" in saved.content.decode()
    assert "Theme: Youth" in following
    assert f'action="/tracking/searches/{search.pk}/delete/"' in following
    assert "The alert on this search is removed." in removed.content.decode()
    assert SavedSearch.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    ["", "colour=red", "status=flying", "x" * 5000, "theme=%00", "q=<script>alert(1)</script>&bogus=1"],
)
def test_alert_button_answers_bad_input_with_a_message_never_a_500(client, cso_member, query) -> None:
    client.force_login(cso_member)

    response = client.post(reverse("tracking:saved_search_create"), {"query": query}, follow=True)

    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert SavedSearch.objects.count() == 0


def test_saved_search_views_refuse_get_anonymous_and_someone_elses_search(client, cso_member) -> None:
    other = SavedSearch.objects.create(user=UserFactory.create(), query="theme=youth")

    anonymous = client.post(reverse("tracking:saved_search_create"), {"query": "theme=youth"})
    client.force_login(cso_member)
    get = client.get(reverse("tracking:saved_search_create"))
    foreign = client.post(reverse("tracking:saved_search_delete", args=[other.pk]))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert get.status_code == 405
    assert foreign.status_code == 404
    assert list(SavedSearch.objects.values_list("user_id", "query")) == [(other.user_id, "theme=youth")]


# --- The digest --------------------------------------------------------------------------------


def test_digest_lists_new_and_updated_recommendations_of_each_saved_search(cso_member) -> None:
    (new,) = _on_theme("youth", headline="Fund youth networks")
    (old,) = _on_theme("gender", headline="Count unpaid care work")
    (elsewhere,) = _on_theme("health", headline="Not in any search")
    Recommendation.objects.filter(pk__in=[old.pk, elsewhere.pk]).update(
        created_at=NOW - dt.timedelta(days=90), updated_at=NOW - dt.timedelta(days=90)
    )
    old.refresh_from_db()
    old.status = Status.SUBMITTED
    old.save()
    saved_search_create(user=cso_member, query="theme=youth")
    saved_search_create(user=cso_member, query="theme=gender")

    sent = digest_send(user_id=cso_member.pk)

    assert sent is True
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    body = message.body
    html = str(message.alternatives[0][0])
    assert "IN YOUR SAVED SEARCHES" in body
    assert "Theme: Youth\n  " in body and "/recommendations/?theme=youth" in body
    assert f"- New · {new.reference} Fund youth networks" in body
    assert f"- Updated · {old.reference} Count unpaid care work" in body
    assert "Not in any search" not in body
    assert "Fund youth networks" in html
    assert "2 items" in mail.outbox[0].subject


def test_digest_saved_search_never_surfaces_a_draft_even_to_the_secretariat(cso_member, secretariat) -> None:
    secretariat.email = "staff@example.org"
    secretariat.save()
    draft = ConveningFactory.create(status=Convening.Status.DRAFT)
    _on_theme("youth", headline="Draft-only wording", convening=draft)
    for user in (cso_member, secretariat):
        SavedSearch.objects.create(user=user, query="theme=youth")

    contents = [
        digest_content(user=user, since=WEEK_AGO, until=timezone.now() + dt.timedelta(seconds=1))
        for user in (cso_member, secretariat)
    ]

    assert [bool(content) for content in contents] == [False, False]
    assert [content.search_match_count for content in contents] == [0, 0]


def test_digest_saved_search_on_an_endorser_never_counts_an_unnamed_endorsement(cso_member) -> None:
    named = OrganizationFactory.create(slug="open-org", verified_at=timezone.now())
    recommendation = RecommendationFactory.create(headline="Endorsed in the open")
    EndorsementFactory.create(organization=named, recommendation=recommendation)
    saved_search_create(user=cso_member, query="endorsed_by=open-org")
    # Later the organization endorses another one without being named, and the first becomes unnamed.
    hidden = RecommendationFactory.create(headline="Endorsed without a name")
    EndorsementFactory.create(organization=named, recommendation=hidden, is_named=False)

    content = digest_content(user=cso_member, since=WEEK_AGO, until=timezone.now() + dt.timedelta(seconds=1))
    headlines = [m.recommendation.headline for alert in content.searches for m in alert.matches]

    assert headlines == ["Endorsed in the open"]


def test_readers_with_only_a_saved_search_receive_the_digest(cso_member) -> None:
    SavedSearch.objects.create(user=cso_member, query="theme=youth")

    assert list(digest_recipients()) == [cso_member]


def _digest_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        digest_content(user=user, since=WEEK_AGO, until=timezone.now() + dt.timedelta(seconds=1))
    return len(captured)


def test_digest_query_count_is_the_same_for_one_search_and_one_match_as_for_four_and_many(cso_member) -> None:
    _on_theme("youth")
    SavedSearch.objects.create(user=cso_member, query="theme=youth")
    _digest_queries(cso_member)  # the first run fills per-process caches
    few = _digest_queries(cso_member)

    _on_theme("gender", count=12)
    _on_theme("health", count=5)
    for query in ("theme=gender", "theme=health", "status=proposed"):
        SavedSearch.objects.create(user=cso_member, query=query)
    many = _digest_queries(cso_member)
    content = digest_content(user=cso_member, since=WEEK_AGO, until=timezone.now() + dt.timedelta(seconds=1))

    assert content.search_match_count == 1 + 12 + 5 + 18
    assert few == many


# --- The permission matrix: seven roles, each action ---------------------------------------

ROLES = [
    "anonymous",
    "unverified_member",
    "cso_member",
    "org_admin",
    "donor",
    "staff_without_second_factor",
    "secretariat",
]


@pytest.fixture
def org_admin(db: None) -> Any:
    from organizations.models import Membership
    from organizations.tests.factories import MembershipFactory

    return MembershipFactory.create(
        user__username="orgadmin", organization__slug="admins-cso", role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def role(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def _searches() -> list[tuple[int, str]]:
    return sorted(SavedSearch.objects.values_list("user_id", "query"))


@pytest.mark.parametrize("role", ROLES, indirect=True)
def test_every_signed_in_role_saves_its_own_alert_and_nobody_removes_anothers(role: Any) -> None:
    from conftest import client_for

    owner = UserFactory.create(username="owner")
    theirs = SavedSearch.objects.create(user=owner, query="theme=youth")
    client = client_for(role)
    before = _searches()

    removed = client.post(reverse("tracking:saved_search_delete", args=[theirs.pk]))
    after_removal = _searches()
    saved = client.post(reverse("tracking:saved_search_create"), {"query": "theme=gender"})

    assert removed.status_code in (302, 404)
    assert after_removal == before
    if role.is_authenticated and role.username == "staff-no-otp":
        # Staff must set up their second factor before anything else, this too.
        assert saved["Location"].startswith("/accounts/second-factor/")
        assert _searches() == before
    elif role.is_authenticated:
        assert removed.status_code == 404
        assert saved.status_code == 302
        assert _searches() == sorted([*before, (role.pk, "theme=gender")])
    else:
        assert saved["Location"].startswith(reverse("login"))
        assert _searches() == before


def test_labels_name_themes_and_never_an_endorser_no_longer_named(cso_member) -> None:
    _on_theme("youth")
    named = OrganizationFactory.create(name="Named Circle", slug="named-circle")
    EndorsementFactory.create(organization=named, recommendation=RecommendationFactory.create())
    quiet = OrganizationFactory.create(name="Quiet Circle", slug="quiet-circle")
    endorsement = EndorsementFactory.create(organization=quiet, recommendation=RecommendationFactory.create())
    queries = ["theme=youth", "endorsed_by=named-circle", "endorsed_by=quiet-circle"]

    before = saved_search_labels(queries, user=cso_member)
    endorsement.is_named = False
    endorsement.save()
    after = saved_search_labels(queries, user=cso_member)

    assert before == ["Theme: Youth", "Endorsed by: Named Circle", "Endorsed by: Quiet Circle"]
    assert after == ["Theme: Youth", "Endorsed by: Named Circle", "Endorsed by: an endorser no longer shown"]
    assert "Quiet Circle" not in " ".join(after) and "quiet-circle" not in " ".join(after)


def test_labels_take_one_query_per_kind_whatever_the_number_of_searches(cso_member) -> None:
    queries = [f"theme=t{i}&addressee=a{i}&endorsed_by=o{i}" for i in range(8)]

    with CaptureQueriesContext(connection) as few:
        saved_search_labels(queries[:1], user=cso_member)
    with CaptureQueriesContext(connection) as many:
        saved_search_labels(queries, user=cso_member)

    assert len(many) == len(few)
