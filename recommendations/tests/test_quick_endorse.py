"""Endorse and sign straight from the results list and the letter list: the signatory pre-filled
from the profile and editable, back to the list afterwards, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import client_for
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory
from recommendations.models import Endorsement
from recommendations.tests.factories import EndorsementFactory, LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db: None) -> User:
    membership = MembershipFactory.create(
        user__username="officer", user__first_name="Amina", user__last_name="Okafor", title="Programme lead"
    )
    return membership.user


def _endorse_url(recommendation: Any) -> str:
    return reverse(
        "recommendations:recommendation_endorse",
        kwargs={"slug": recommendation.convening.slug, "number": recommendation.number},
    )


def test_the_results_list_offers_endorsing_with_the_signatory_from_the_profile(officer: User) -> None:
    recommendation = RecommendationFactory.create()

    content = client_for(officer).get(reverse("recommendations:list")).content.decode()

    assert f'action="{_endorse_url(recommendation)}"' in content
    assert 'value="Amina Okafor"' in content
    assert 'value="Programme lead"' in content


def test_endorsing_from_the_list_keeps_an_edited_signatory_and_returns_to_the_list(officer: User) -> None:
    recommendation = RecommendationFactory.create()
    organization = Membership.objects.get(user=officer).organization

    response = client_for(officer).post(
        _endorse_url(recommendation),
        {
            "organization": organization.pk,
            "signatory_name": "A. Okafor",
            "signatory_title": "Director",
            "visibility": "named",
            "attested": "on",
            "next": "/recommendations/?q=youth",
        },
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == f"/recommendations/?q=youth#rec-{recommendation.pk}"
    assert list(Endorsement.objects.values_list("signatory_name", "signatory_title")) == [("A. Okafor", "Director")]


def test_an_outside_next_address_is_ignored(officer: User) -> None:
    recommendation = RecommendationFactory.create()

    response = client_for(officer).post(
        _endorse_url(recommendation),
        {
            "organization": Membership.objects.get(user=officer).organization.pk,
            "signatory_name": "A",
            "visibility": "named",
            "attested": "on",
            "next": "https://evil.example/",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"] == recommendation.get_absolute_url() + "#endorsements"


def test_an_endorsed_row_says_so_instead_of_offering_the_form(officer: User) -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(
        recommendation=recommendation, organization=Membership.objects.get(user=officer).organization
    )

    content = client_for(officer).get(reverse("recommendations:list")).content.decode()

    assert "Your organization endorses this." in content
    assert f'action="{_endorse_url(recommendation)}"' not in content


@pytest.mark.parametrize("persona", ["anonymous", "donor", "unverified_member", "secretariat"], indirect=True)
def test_nobody_else_is_offered_the_form(persona: Any) -> None:
    RecommendationFactory.create()

    content = client_for(persona).get(reverse("recommendations:list")).content.decode()

    assert "quick-endorse" not in content


def test_the_letter_list_offers_signing_an_open_letter(officer: User) -> None:
    letter = LetterFactory.create()
    LetterFactory.create(state="closed", title="Closed letter")

    content = client_for(officer).get(reverse("recommendations:letter_list")).content.decode()

    assert content.count('class="quick-endorse"') == 1
    assert f'action="{reverse("recommendations:letter_sign", kwargs={"slug": letter.slug})}"' in content


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_with_the_forms_runs_constant_queries(
    officer: User, django_assert_max_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        RecommendationFactory.create()
    client: Client = client_for(officer)
    client.get(reverse("recommendations:list"))  # the session's first request warms caches

    with django_assert_max_num_queries(16):
        response = client.get(reverse("recommendations:list"))

    assert response.content.decode().count('class="quick-endorse"') == count
