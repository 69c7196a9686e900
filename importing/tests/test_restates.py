"""The preview's "this looks like CSD-2017-VIE/R3 — restates?", confirmed at once with the import."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import vienna_convening
from events.models import Convening
from importing.parser import parse_summary
from importing.selectors import restatement_candidates
from importing.tests.test_suggestions import form_values
from recommendations.models import RecommendationLink, RecurrenceSuggestion
from recommendations.tests.recurrence_corpus import NEW_ASKS, RESTATEMENTS

pytestmark = pytest.mark.django_db


def _summary(*asks: tuple[str, str, list[str]]) -> str:
    """A small summary written for these tests, its recommendations as the importer reads them."""
    lines = ["Civil Society Day", "", "3 June 2019, Skopje", "", "Meeting Summary and Recommendations", ""]
    lines += ["RECOMMENDATIONS", ""]
    for number, (headline, body, _items) in enumerate(asks, start=1):
        lines += [f"{number}. **{headline}:** {body}", ""]
    return "\n".join(lines)


RESTATING = _summary(RESTATEMENTS[3], NEW_ASKS[0])


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _preview(client: Client, text: str) -> Any:
    response = client.post(reverse("secretariat:import"), {"text": text})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_the_preview_shows_the_vienna_original_of_a_restatement_and_nothing_for_a_new_ask(secretariat: User) -> None:
    vienna = vienna_convening()
    original = vienna.recommendations.get(number=3)

    page = _preview(_client(secretariat), RESTATING)

    assert (
        page.count("— restates?"),
        f'This looks like <a href="/r/{original.reference}">{original.reference}</a> — restates?' in page,
        f'name="s-restates-1" value="{original.pk}"' in page,
        'name="s-restates-2"' in page,
    ) == (1, True, True, False)


def test_only_candidates_above_the_threshold_are_offered(secretariat: User) -> None:
    vienna_convening()

    found = restatement_candidates(result=parse_summary(_summary(*NEW_ASKS)), user=secretariat)

    assert found == {}


def test_confirming_the_import_with_the_box_ticked_links_the_restatement(secretariat: User) -> None:
    vienna = vienna_convening()
    original = vienna.recommendations.get(number=3)
    client = _client(secretariat)
    page = _preview(client, RESTATING)

    response = client.post(
        reverse("secretariat:import_confirm"),
        form_values(page, action="create", kind="civil_society_day", s__restates__1=str(original.pk)),
    )

    assert response.status_code == 302, response.content.decode()[:800]
    draft = Convening.objects.exclude(pk=vienna.pk).get()
    restating = draft.recommendations.get(number=1)
    link = RecommendationLink.objects.get(from_recommendation=restating)
    suggestion = RecurrenceSuggestion.objects.get(recommendation=restating, candidate=original)
    assert (link.to_recommendation_id, link.kind, link.created_by_id) == (original.pk, "restates", secretariat.pk)
    assert (suggestion.state, suggestion.link_id, suggestion.score > 0.16) == ("confirmed", link.pk, True)
    assert not RecommendationLink.objects.filter(from_recommendation__convening=draft, to_recommendation__number=2)


def test_without_the_box_ticked_no_link_is_made_even_by_accept_all(secretariat: User) -> None:
    vienna_convening()
    client = _client(secretariat)
    page = _preview(client, RESTATING)

    response = client.post(
        reverse("secretariat:import_confirm"), form_values(page, action="accept_all", kind="civil_society_day")
    )

    assert (response.status_code, RecommendationLink.objects.count()) == (302, 0)


def test_a_candidate_the_preview_did_not_offer_is_a_form_error_not_a_500(secretariat: User) -> None:
    vienna = vienna_convening()
    client = _client(secretariat)
    page = _preview(client, RESTATING)
    other = vienna.recommendations.get(number=9)

    response = client.post(
        reverse("secretariat:import_confirm"),
        form_values(page, action="create", kind="civil_society_day", s__restates__1=str(other.pk)),
    )

    assert (response.status_code, Convening.objects.count(), RecommendationLink.objects.count()) == (200, 1, 0)
    assert "Select a valid choice" in response.content.decode()


def test_the_preview_is_secretariat_only(client: Client, cso_member: User) -> None:
    vienna_convening()
    client.force_login(cso_member)

    response = client.post(reverse("secretariat:import"), {"text": RESTATING})

    assert (response.status_code, b"restates?" in response.content) == (404, False)
