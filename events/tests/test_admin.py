"""The secretariat admin answers bad input with form errors, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from events.tests.factories import ConveningFactory
from recommendations.models import Recommendation, SubItem
from recommendations.tests.factories import RecommendationFactory, SubItemFactory

pytestmark = pytest.mark.django_db


def _inline_management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _recommendation_post(convening_id: int, number: int, letters: list[str]) -> dict[str, str]:
    data = {
        "convening": str(convening_id),
        "number": str(number),
        "headline": "Fund the core",
        "body": "",
        "status": "proposed",
    }
    data |= _inline_management("sub_items", len(letters))
    data |= _inline_management("responses", 0)
    data |= _inline_management("status_updates", 0)
    for i, letter in enumerate(letters):
        data[f"sub_items-{i}-letter"] = letter
        data[f"sub_items-{i}-text"] = f"item {letter}"
    return data


def test_admin_rejects_duplicate_recommendation_number_with_form_error(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="draft")
    RecommendationFactory.create(convening=convening, number=3)
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:recommendations_recommendation_add"), _recommendation_post(convening.pk, 3, [])
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Recommendation.objects.filter(convening=convening, number=3).count() == 1


def test_admin_rejects_duplicate_subitem_letters_with_form_error(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="draft")
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:recommendations_recommendation_add"), _recommendation_post(convening.pk, 1, ["a", "a"])
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data for letter" in response.content.decode()
    assert not Recommendation.objects.filter(convening=convening).exists()


def test_admin_rejects_letter_that_exists_already(client: Client, secretariat) -> None:
    recommendation = RecommendationFactory.create(convening__status="draft", number=1)
    existing = SubItemFactory.create(recommendation=recommendation, letter="a")
    client.force_login(secretariat)
    data = _recommendation_post(recommendation.convening_id, 1, [])
    data |= _inline_management("sub_items", 2, initial=1)
    data |= {
        "sub_items-0-id": str(existing.pk),
        "sub_items-0-recommendation": str(recommendation.pk),
        "sub_items-0-letter": "a",
        "sub_items-0-text": "kept",
        "sub_items-1-letter": "a",
        "sub_items-1-text": "duplicate",
    }

    response = client.post(reverse("admin:recommendations_recommendation_change", args=[recommendation.pk]), data)

    assert response.status_code == 200
    assert SubItem.objects.filter(recommendation=recommendation).count() == 1


def test_admin_freezes_numbers_once_published(client: Client, secretariat) -> None:
    recommendation = RecommendationFactory.create(number=4)
    client.force_login(secretariat)

    client.post(
        reverse("admin:recommendations_recommendation_change", args=[recommendation.pk]),
        _recommendation_post(recommendation.convening_id, 9, []),
    )

    recommendation.refresh_from_db()
    assert recommendation.number == 4


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:events_convening_changelist",
        "admin:recommendations_recommendation_changelist",
        "admin:organizations_organization_changelist",
        "admin:recommendations_endorsement_changelist",
        "admin:events_participation_changelist",
    ],
)
def test_admin_lists_search_and_filter(client: Client, secretariat, url_name: str) -> None:
    RecommendationFactory.create()
    client.force_login(secretariat)

    response = client.get(reverse(url_name), {"q": "anything"})

    assert response.status_code == 200
    assert b'id="searchbar"' in response.content


def test_admin_convening_page_holds_every_part(client: Client, secretariat) -> None:
    recommendation = RecommendationFactory.create()
    SubItemFactory.create(recommendation=recommendation, letter="a")
    client.force_login(secretariat)

    response = client.get(reverse("admin:events_convening_change", args=[recommendation.convening_id]))

    body = response.content.decode()
    assert response.status_code == 200
    for prefix in [
        "key_themes",
        "recommendations",
        "sessions",
        "paragraphs",
        "footnotes",
        "participations",
        "next_steps",
    ]:
        assert f'name="{prefix}-TOTAL_FORMS"' in body
    assert "recommendations-0-sub_items-TOTAL_FORMS" in body


def test_admin_history_shows_changes(client: Client, secretariat) -> None:
    recommendation = RecommendationFactory.create(headline="First wording")
    recommendation.headline = "Second wording"
    recommendation.save(update_fields=["headline"])
    client.force_login(secretariat)

    response = client.get(reverse("admin:recommendations_recommendation_history", args=[recommendation.pk]))

    assert response.status_code == 200
    assert recommendation.history.count() == 2
    assert "Second wording" in response.content.decode()
