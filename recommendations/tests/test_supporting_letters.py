"""A letter is listed on the page of each recommendation it supports, as its reader may see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "listed"),
    [("anonymous", ["Open letter"]), ("cso_member", ["Open letter"]), ("secretariat", ["Open letter", "Draft letter"])],
    indirect=["persona"],
)
def test_the_letters_a_recommendation_supports_are_on_its_page(persona: Any, listed: list[str]) -> None:
    recommendation = RecommendationFactory.create()
    LetterFactory.create(title="Open letter").recommendations.add(recommendation)
    LetterFactory.create(title="Draft letter", state=Letter.State.DRAFT).recommendations.add(recommendation)
    LetterFactory.create(title="Another letter")

    response = client_for(persona).get(recommendation.get_absolute_url())

    assert sorted(letter.title for letter in response.context["page"].letters) == sorted(listed)
    content = response.content.decode()
    assert ("Draft letter" in content) is ("Draft letter" in listed)
    assert "Another letter" not in content


def test_an_open_letter_offers_its_signature_from_the_recommendation(client: Client) -> None:
    recommendation = RecommendationFactory.create()
    letter = LetterFactory.create(title="Open letter")
    letter.recommendations.add(recommendation)

    content = client.get(recommendation.get_absolute_url()).content.decode()

    assert f'href="{letter.get_absolute_url()}#signatures"' in content
