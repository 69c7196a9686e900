"""The secretariat's letter editor outside the admin: title, addressee, text, recommendations and
signature window; a version per change while the letter circulates; frozen once open for signature."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conftest import client_for
from events.tests.factories import ConveningFactory
from recommendations.models import Letter
from recommendations.services import LetterError, letter_update
from recommendations.tests.factories import AddresseeFactory, LetterFactory, RecommendationFactory
from recommendations.version_selectors import compare, text_versions

pytestmark = pytest.mark.django_db


def _fields(letter: Letter, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": letter.title,
        "body": letter.body,
        "recommendations": list(letter.recommendations.all()),
        "addressee": letter.addressee,
        "opens_on": letter.opens_on,
        "closes_on": letter.closes_on,
    }
    return {**fields, **changes}


def _snapshot(letter: Letter) -> tuple[Any, ...]:
    letter.refresh_from_db()
    return (
        letter.title,
        letter.body,
        letter.addressee_id,
        letter.opens_on,
        letter.closes_on,
        sorted(letter.recommendations.values_list("pk", flat=True)),
        Letter.history.filter(id=letter.pk).count(),
    )


def test_every_change_of_a_circulating_letter_is_a_version_readers_compare(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_INPUTS, body="We ask you to fund the work.")

    letter_update(
        letter=letter, user=secretariat, reason="Input 3", **_fields(letter, body="We ask you to fund the core work.")
    )
    letter_update(
        letter=letter,
        user=secretariat,
        reason="Input 5",
        **_fields(letter, body="We ask donors to fund the core work."),
    )
    versions = text_versions(letter, "body")
    comparison = compare(versions, None, None)

    assert [(v.number, v.reason) for v in versions] == [(1, ""), (2, "Input 3"), (3, "Input 5")]
    assert comparison is not None
    assert ("insert", "donors") in comparison.pieces
    assert Letter.history.filter(id=letter.pk).latest("history_id").history_user == secretariat


def test_a_draft_letter_changes_title_addressee_recommendations_and_window(secretariat: User) -> None:
    convening = ConveningFactory.create()
    first, second = RecommendationFactory.create_batch(2, convening=convening)
    letter = LetterFactory.create(state=Letter.State.DRAFT, convening=convening)
    letter.recommendations.set([first])
    addressee = AddresseeFactory.create(name="UN Secretary-General")

    letter_update(
        letter=letter,
        user=secretariat,
        **_fields(
            letter,
            title="  To the   Secretary-General ",
            addressee=addressee,
            recommendations=[first, second],
            opens_on=dt.date(2026, 12, 1),
            closes_on=dt.date(2026, 12, 20),
        ),
    )
    letter.refresh_from_db()

    assert letter.title == "To the Secretary-General"
    assert letter.addressee == addressee
    assert set(letter.recommendations.all()) == {first, second}
    assert (letter.opens_on, letter.closes_on, letter.convening) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 20),
        convening,
    )
    assert (
        Letter.history.filter(id=letter.pk).latest("history_id").history_change_reason == "Edited by the secretariat."
    )


@pytest.mark.parametrize("state", [Letter.State.OPEN_FOR_SIGNATURE, Letter.State.CLOSED, Letter.State.SENT])
def test_a_letter_open_for_signature_or_later_is_frozen(secretariat: User, state: str) -> None:
    letter = LetterFactory.create(state=state)
    before = _snapshot(letter)

    with pytest.raises(LetterError, match="is frozen"):
        letter_update(letter=letter, user=secretariat, reason="Late", **_fields(letter, body="Another text."))

    assert _snapshot(letter) == before


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"title": "   "}, "x", "needs a title"),
        ({"body": "  \n "}, "x", "needs a text"),
        ({"body": "x" * 20_001}, "x", "limited to 20,000"),
        ({"opens_on": dt.date(2026, 12, 10), "closes_on": dt.date(2026, 12, 1)}, "x", "closes before it opens"),
        ({"body": "Changed."}, "", "Give a reason"),
        ({"body": "Changed."}, "r" * 501, "limited to 500"),
    ],
)
def test_letter_update_refuses_bad_input_and_changes_nothing(
    secretariat: User, changes: dict[str, Any], reason: str, message: str
) -> None:
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_INPUTS)
    before = _snapshot(letter)

    with pytest.raises(LetterError, match=message):
        letter_update(letter=letter, user=secretariat, reason=reason, **_fields(letter, **changes))

    assert _snapshot(letter) == before


# --- The page ------------------------------------------------------------------------------------


def test_the_edit_page_saves_and_the_letter_page_links_to_it(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_INPUTS, body="Old text.")
    client = client_for(secretariat)
    url = reverse("secretariat:letter_edit", args=[letter.slug])

    detail = client.get(letter.get_absolute_url()).content.decode()
    form = client.get(url).content.decode()
    saved = client.post(url, {"title": letter.title, "body": "New text.", "reason": "Input 2"}, follow=True)
    letter.refresh_from_db()

    assert f'href="{url}"' in detail
    assert "Old text." in form and 'name="reason"' in form
    assert saved.redirect_chain[-1][0] == letter.get_absolute_url()
    assert "The letter is saved." in saved.content.decode()
    assert letter.body == "New text."
    assert [v.reason for v in text_versions(letter, "body")][-1] == "Input 2"


def test_the_edit_page_of_a_frozen_letter_says_why_and_a_post_changes_nothing(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE)
    client = client_for(secretariat)
    url = reverse("secretariat:letter_edit", args=[letter.slug])
    before = _snapshot(letter)

    page = client.get(url).content.decode()
    posted = client.post(url, {"title": "Changed", "body": "Changed.", "reason": "Late"})
    detail = client.get(letter.get_absolute_url()).content.decode()

    assert "its text is frozen" in page and 'name="body"' not in page
    assert posted.status_code == 400
    assert "its text is frozen" in posted.content.decode()
    assert _snapshot(letter) == before
    assert f'href="{url}"' not in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Text", "reason": "x"}, "This field is required"),
        ({"title": "T", "body": "", "reason": "x"}, "This field is required"),
        ({"title": "T", "body": "x" * 20_001, "reason": "x"}, "at most 20000 characters"),
        ({"title": "T", "body": "Text", "reason": "x", "opens_on": "soon"}, "Enter a valid date"),
        ({"title": "T", "body": "Text", "reason": "x", "addressee": "999999"}, "Select a valid choice"),
        ({"title": "T", "body": "Text", "reason": "x", "recommendations": ["999999"]}, "Select a valid choice"),
        ({"title": "T", "body": "Text", "reason": "x", "recommendations": ["abc"]}, "is not a valid value"),
        ({"title": "T", "body": "Changed", "reason": ""}, "Give a reason"),
        (
            {"title": "T", "body": "Text", "reason": "x", "opens_on": "2026-12-10", "closes_on": "2026-12-01"},
            "closes before it opens",
        ),
    ],
)
def test_the_edit_page_answers_bad_input_with_a_message_and_saves_nothing(
    secretariat: User, data: dict[str, Any], message: str
) -> None:
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_INPUTS)
    before = _snapshot(letter)

    response = client_for(secretariat).post(reverse("secretariat:letter_edit", args=[letter.slug]), data)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert _snapshot(letter) == before


def test_the_edit_page_offers_only_the_letters_own_and_its_conventions_recommendations(secretariat: User) -> None:
    convening = ConveningFactory.create()
    own = RecommendationFactory.create(convening=convening, headline="Own one")
    sibling = RecommendationFactory.create(convening=convening, headline="Sibling one")
    RecommendationFactory.create(headline="Elsewhere one")
    letter = LetterFactory.create(state=Letter.State.DRAFT, convening=convening)
    letter.recommendations.set([own])

    page = client_for(secretariat).get(reverse("secretariat:letter_edit", args=[letter.slug])).content.decode()

    assert "Own one" in page and "Sibling one" in page and sibling.reference in page
    assert "Elsewhere one" not in page


def test_an_unknown_letter_is_a_404(secretariat: User) -> None:
    response = client_for(secretariat).get(reverse("secretariat:letter_edit", args=["no-such-letter"]))

    assert response.status_code == 404
