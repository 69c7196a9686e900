"""Sign-on letters: the page, its signatories, signing and withdrawing, closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Convening
from organizations.models import Membership, Organization
from recommendations import services
from recommendations.models import Endorsement, Letter
from recommendations.tests.factories import AddresseeFactory, EndorsementFactory, LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def organization_of(user: User) -> Organization:
    return Membership.objects.get(user=user).organization


def sign_data(organization: Organization, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": organization.pk,
        "signatory_name": "Amina Diallo",
        "signatory_title": "Director",
        "visibility": "named",
        "attested": "on",
    }
    data.update(overrides)
    return data


def sign_url(letter: Letter) -> str:
    return reverse("recommendations:letter_sign", kwargs={"slug": letter.slug})


def withdraw_url(letter: Letter) -> str:
    return reverse("recommendations:letter_withdraw", kwargs={"slug": letter.slug})


def sign(user: User, letter: Letter, **overrides: Any) -> services.EndorsementResult:
    fields: dict[str, Any] = {
        "letter": letter,
        "organization": organization_of(user),
        "user": user,
        "signatory_name": "Amina Diallo",
        "attested": True,
    }
    fields.update(overrides)
    return services.letter_sign(**fields)


def test_letter_page_shows_title_addressee_body_recommendations_and_dates(client: Client) -> None:
    recommendation = RecommendationFactory.create(headline="Fund the core")
    hidden = RecommendationFactory.create(headline="Draft idea", convening__status=Convening.Status.DRAFT)
    letter = LetterFactory.create(
        title="Letter to the Secretary-General",
        addressee=AddresseeFactory.create(name="UN Secretary-General"),
        body="We **ask** you to act.",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2099, 12, 31),
    )
    letter.recommendations.set([recommendation, hidden])

    html = client.get(letter.get_absolute_url()).content.decode()

    assert "<h1>Letter to the Secretary-General</h1>" in html
    assert "To: UN Secretary-General" in html
    assert "<strong>ask</strong>" in html
    assert "Fund the core" in html
    assert "Draft idea" not in html
    assert "closes on 31 December 2099" in html


def test_letter_page_of_a_draft_is_404_except_for_the_secretariat(client: Client, secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.DRAFT)

    anonymous = client.get(letter.get_absolute_url())
    client.force_login(secretariat)
    staff = client.get(letter.get_absolute_url())

    assert anonymous.status_code == 404
    assert staff.status_code == 200


def test_letter_page_names_signatories_and_counts_those_not_named(client: Client) -> None:
    letter = LetterFactory.create()
    EndorsementFactory.create(letter=letter, recommendation=None, organization__name="Open Org")
    EndorsementFactory.create(letter=letter, recommendation=None, organization__name="Quiet Org", is_named=False)
    EndorsementFactory.create(letter=letter, recommendation=None, organization__name="Other Quiet", is_named=False)

    html = client.get(letter.get_absolute_url()).content.decode()

    assert "Signed by 3 organizations, 2 of them not named." in html
    assert "Open Org" in html
    assert "Quiet Org" not in html
    assert "Other Quiet" not in html


def test_letter_sign_and_withdraw_and_sign_again(client: Client, cso_member: User) -> None:
    letter = LetterFactory.create()
    organization = organization_of(cso_member)
    client.force_login(cso_member)

    signed = client.post(sign_url(letter), sign_data(organization))
    page = client.get(letter.get_absolute_url()).content.decode()
    withdrawn = client.post(withdraw_url(letter), {"organization": organization.pk})
    again = client.post(sign_url(letter), sign_data(organization, visibility="counted"))

    assert signed.status_code == withdrawn.status_code == again.status_code == 302
    assert signed["Location"] == letter.get_absolute_url() + "#signatures"
    assert "Signed by 1 organization." in page
    assert "Verified CSO signed this letter on" in page
    assert Endorsement.objects.filter(letter=letter).count() == 2
    assert list(Endorsement.objects.active().values_list("is_named", flat=True)) == [False]


def test_letter_sign_twice_returns_the_existing_signature(cso_member: User) -> None:
    letter = LetterFactory.create()

    first = sign(cso_member, letter)
    second = sign(cso_member, letter)

    assert (first.created, second.created) == (True, False)
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    "letter_fields",
    [
        {"state": Letter.State.CLOSED},
        {"state": Letter.State.SENT},
        {"closes_on": dt.date(2020, 1, 1)},
        {"opens_on": dt.date(2099, 1, 1)},
    ],
)
def test_letter_sign_refuses_a_letter_not_open_with_a_clear_message(
    client: Client, cso_member: User, letter_fields: dict[str, Any]
) -> None:
    letter = LetterFactory.create(**letter_fields)
    client.force_login(cso_member)

    response = client.post(sign_url(letter), sign_data(organization_of(cso_member)), follow=True)

    assert "This letter does not take signatures now." in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_letter_stops_taking_signatures_after_its_close_date(cso_member: User) -> None:
    today = timezone.localdate()
    letter = LetterFactory.create(closes_on=today)

    assert letter.is_open_for_signatures(today) is True
    assert letter.is_open_for_signatures(today + dt.timedelta(days=1)) is False
    result = sign(cso_member, letter)
    assert result.created is True


def test_letter_withdraw_after_closing_is_refused(client: Client, cso_member: User) -> None:
    letter = LetterFactory.create()
    sign(cso_member, letter)
    letter.state = Letter.State.CLOSED
    letter.save()
    client.force_login(cso_member)

    response = client.post(withdraw_url(letter), {"organization": organization_of(cso_member).pk}, follow=True)

    assert "signatures can no longer be withdrawn" in response.content.decode()
    assert Endorsement.objects.active().count() == 1


def test_letter_withdraw_without_a_signature_says_so(client: Client, cso_member: User) -> None:
    letter = LetterFactory.create()
    client.force_login(cso_member)

    response = client.post(withdraw_url(letter), {"organization": organization_of(cso_member).pk}, follow=True)

    assert "nothing to withdraw" in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_letter_sign_missing_attestation_changes_nothing(client: Client, cso_member: User) -> None:
    letter = LetterFactory.create()
    client.force_login(cso_member)

    response = client.post(sign_url(letter), sign_data(organization_of(cso_member), attested=""))

    assert response.status_code == 400
    assert "Confirm that you are authorised" in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_letter_panel_for_a_closed_letter_offers_no_form(client: Client, cso_member: User) -> None:
    letter = LetterFactory.create(state=Letter.State.CLOSED)
    client.force_login(cso_member)

    html = client.get(letter.get_absolute_url()).content.decode()

    assert sign_url(letter) not in html
    assert "This letter does not take signatures now." in html


@pytest.mark.parametrize("method", ["get", "head"])
def test_letter_actions_refuse_get_and_head(client: Client, cso_member: User, method: str) -> None:
    letter = LetterFactory.create()
    client.force_login(cso_member)

    responses = [getattr(client, method)(url) for url in (sign_url(letter), withdraw_url(letter))]

    assert [r.status_code for r in responses] == [405, 405]
    assert Endorsement.objects.count() == 0


def test_letter_list_shows_visible_letters_with_their_signature_counts(client: Client) -> None:
    letter = LetterFactory.create(title="Open letter")
    LetterFactory.create(title="Draft letter", state=Letter.State.DRAFT)
    EndorsementFactory.create(letter=letter, recommendation=None, is_named=False)
    EndorsementFactory.create(letter=letter, recommendation=None, withdrawn_at=timezone.now())

    html = client.get(reverse("recommendations:letter_list")).content.decode()

    assert "Open letter" in html
    assert "Draft letter" not in html
    assert "1 signature" in html


@pytest.mark.parametrize("count", [1, 20])
def test_letter_list_query_count_is_constant(client: Client, django_assert_max_num_queries: Any, count: int) -> None:
    addressee = AddresseeFactory.create()
    for _ in range(count):
        letter = LetterFactory.create(addressee=addressee)
        EndorsementFactory.create(letter=letter, recommendation=None)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("recommendations:letter_list"))

    assert len(response.context["letters"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_letter_page_query_count_is_constant(
    client: Client, cso_member: User, django_assert_max_num_queries: Any, count: int
) -> None:
    letter = LetterFactory.create()
    letter.recommendations.set([RecommendationFactory.create() for _ in range(count)])
    for _ in range(count):
        EndorsementFactory.create(letter=letter, recommendation=None)
    client.force_login(cso_member)

    with django_assert_max_num_queries(14):
        response = client.get(letter.get_absolute_url())

    assert f"Signed by {count} organization" in response.content.decode()
