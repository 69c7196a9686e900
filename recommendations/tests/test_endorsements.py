"""Endorsing a recommendation on behalf of an organization: services, actions and the panel."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from events.models import Convening
from organizations.models import Membership, Organization
from organizations.tests.factories import MembershipFactory
from recommendations import services
from recommendations.models import Endorsement, Recommendation
from recommendations.tests.factories import EndorsementFactory, LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def endorse_url(recommendation: Recommendation) -> str:
    return reverse(
        "recommendations:recommendation_endorse",
        kwargs={"slug": recommendation.convening.slug, "number": recommendation.number},
    )


def withdraw_url(recommendation: Recommendation) -> str:
    return reverse(
        "recommendations:recommendation_withdraw",
        kwargs={"slug": recommendation.convening.slug, "number": recommendation.number},
    )


def organization_of(user: User) -> Organization:
    return Membership.objects.get(user=user).organization


def form_data(organization: Organization, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": organization.pk,
        "signatory_name": "Amina Diallo",
        "signatory_title": "Director",
        "comment": "We support this.",
        "visibility": "named",
        "attested": "on",
    }
    data.update(overrides)
    return data


def endorse(user: User, recommendation: Recommendation, **overrides: Any) -> services.EndorsementResult:
    fields: dict[str, Any] = {
        "recommendation": recommendation,
        "organization": organization_of(user),
        "user": user,
        "signatory_name": "Amina Diallo",
        "attested": True,
    }
    fields.update(overrides)
    return services.recommendation_endorse(**fields)


def render_panel(recommendation: Recommendation, user: Any) -> str:
    request = RequestFactory().get(recommendation.get_absolute_url())
    request.user = user
    template = Template("{% load endorsements %}{% endorsement_panel recommendation %}")
    return template.render(Context({"recommendation": recommendation, "request": request, "user": user}))


# --- Services ---------------------------------------------------------------------------------


def test_recommendation_endorse_creates_one_active_endorsement(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()

    result = endorse(cso_member, recommendation, comment="Yes.", is_named=False)

    assert result.created is True
    endorsement = Endorsement.objects.get()
    assert (endorsement.recommendation, endorsement.organization, endorsement.endorsed_by) == (
        recommendation,
        organization_of(cso_member),
        cso_member,
    )
    assert (endorsement.comment, endorsement.is_named, endorsement.withdrawn_at) == ("Yes.", False, None)
    assert endorsement.history.get().history_user == cso_member


def test_recommendation_endorse_twice_returns_the_existing_endorsement(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    first = endorse(cso_member, recommendation)

    second = endorse(cso_member, recommendation, comment="changed my mind")

    assert second.created is False
    assert second.endorsement.pk == first.endorsement.pk
    assert Endorsement.objects.count() == 1
    assert Endorsement.objects.get().comment == ""


def test_two_members_of_one_organization_endorse_once(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    colleague = MembershipFactory.create(organization=organization_of(cso_member)).user

    endorse(cso_member, recommendation)
    result = endorse(colleague, recommendation)

    assert result.created is False
    assert Endorsement.objects.active().count() == 1


def test_recommendation_withdraw_keeps_the_dated_record_and_endorsing_again_is_allowed(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    first = endorse(cso_member, recommendation).endorsement

    services.recommendation_withdraw(
        recommendation=recommendation, organization=organization_of(cso_member), user=cso_member
    )
    again = endorse(cso_member, recommendation)

    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert again.created is True
    assert Endorsement.objects.count() == 2
    assert list(Endorsement.objects.active()) == [again.endorsement]
    assert [h.withdrawn_at is None for h in first.history.order_by("history_date")] == [True, False]


def test_recommendation_withdraw_twice_is_refused_with_a_message(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    endorse(cso_member, recommendation)
    organization = organization_of(cso_member)
    services.recommendation_withdraw(recommendation=recommendation, organization=organization, user=cso_member)
    withdrawn_at = Endorsement.objects.get().withdrawn_at

    with pytest.raises(services.EndorsementError, match="nothing to withdraw"):
        services.recommendation_withdraw(recommendation=recommendation, organization=organization, user=cso_member)

    assert Endorsement.objects.get().withdrawn_at == withdrawn_at


@pytest.mark.parametrize("persona", ["donor", "unverified_member", "secretariat"], indirect=True)
def test_recommendation_endorse_refuses_who_is_not_a_network_member(persona: User) -> None:
    recommendation = RecommendationFactory.create()
    organization = Membership.objects.filter(user=persona).first()

    with pytest.raises(services.EndorsementForbidden):
        services.recommendation_endorse(
            recommendation=recommendation,
            organization=organization.organization if organization else Organization.objects.create(name="X", slug="x"),
            user=persona,
            signatory_name="Someone",
            attested=True,
        )

    assert Endorsement.objects.count() == 0


def test_recommendation_endorse_refuses_a_pending_member(cso_member: User) -> None:
    pending = MembershipFactory.create(organization=organization_of(cso_member), state=Membership.State.PENDING)

    with pytest.raises(services.EndorsementForbidden):
        endorse(pending.user, RecommendationFactory.create(), organization=pending.organization)

    assert Endorsement.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"comment": "x" * 2001}, "2,000 characters"),
        ({"attested": False}, "authorised"),
        ({"signatory_name": "  "}, "name of the person"),
        ({"signatory_title": "t" * 201}, "200 characters"),
    ],
)
def test_recommendation_endorse_bad_input_is_refused(cso_member: User, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(services.EndorsementError, match=message):
        endorse(cso_member, RecommendationFactory.create(), **overrides)

    assert Endorsement.objects.count() == 0


def test_recommendation_endorse_refuses_an_unpublished_recommendation(cso_member: User) -> None:
    recommendation = RecommendationFactory.create(convening__status=Convening.Status.DRAFT)

    with pytest.raises(services.EndorsementError, match="not published"):
        endorse(cso_member, recommendation)

    assert Endorsement.objects.count() == 0


# --- Actions ----------------------------------------------------------------------------------


def test_endorse_action_endorses_and_returns_to_the_recommendation(client: Client, cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    client.force_login(cso_member)

    response = client.post(endorse_url(recommendation), form_data(organization_of(cso_member), visibility="counted"))

    assert response.status_code == 302
    assert response["Location"] == recommendation.get_absolute_url() + "#endorsements"
    endorsement = Endorsement.objects.get()
    assert (endorsement.is_named, endorsement.signatory_name, endorsement.signatory_title) == (
        False,
        "Amina Diallo",
        "Director",
    )


def test_endorse_action_twice_says_already_endorsed(client: Client, cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    client.force_login(cso_member)

    client.post(endorse_url(recommendation), form_data(organization_of(cso_member)))
    second = client.post(endorse_url(recommendation), form_data(organization_of(cso_member)), follow=True)

    assert Endorsement.objects.count() == 1
    assert "already endorses" in second.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"comment": "x" * 2001}, "comment", "at most 2000 characters"),
        ({"attested": ""}, "attested", "Confirm that you are authorised"),
        ({"signatory_name": ""}, "signatory_name", "This field is required"),
        ({"visibility": "secret"}, "visibility", "Select a valid choice"),
    ],
)
def test_endorse_action_bad_input_shows_a_clear_message_and_changes_nothing(
    client: Client, cso_member: User, overrides: dict[str, str], field: str, message: str
) -> None:
    recommendation = RecommendationFactory.create()
    client.force_login(cso_member)

    response = client.post(endorse_url(recommendation), form_data(organization_of(cso_member), **overrides))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was recorded" in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_withdraw_action_twice_shows_a_clear_message_and_changes_nothing(client: Client, cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    organization = organization_of(cso_member)
    client.force_login(cso_member)
    client.post(endorse_url(recommendation), form_data(organization))
    client.post(withdraw_url(recommendation), {"organization": organization.pk})
    withdrawn_at = Endorsement.objects.get().withdrawn_at

    response = client.post(withdraw_url(recommendation), {"organization": organization.pk}, follow=True)

    assert response.status_code == 200
    assert "nothing to withdraw" in response.content.decode()
    assert Endorsement.objects.get().withdrawn_at == withdrawn_at


def test_endorse_action_for_a_draft_recommendation_is_404(client: Client, cso_member: User) -> None:
    recommendation = RecommendationFactory.create(convening__status=Convening.Status.DRAFT)
    client.force_login(cso_member)

    response = client.post(endorse_url(recommendation), form_data(organization_of(cso_member)))

    assert response.status_code == 404
    assert Endorsement.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "head", "put", "delete"])
@pytest.mark.parametrize("which", ["endorse", "withdraw"])
def test_endorsement_actions_refuse_other_methods_and_change_nothing(
    client: Client, cso_member: User, method: str, which: str
) -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=organization_of(cso_member))
    client.force_login(cso_member)
    url = endorse_url(recommendation) if which == "endorse" else withdraw_url(recommendation)

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert Endorsement.objects.active().count() == 1


def test_endorse_action_enforces_csrf(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    client = Client(enforce_csrf_checks=True)
    client.force_login(cso_member)

    response = client.post(endorse_url(recommendation), form_data(organization_of(cso_member)))

    assert response.status_code == 403
    assert Endorsement.objects.count() == 0


def test_endorse_action_sends_anonymous_to_login_and_back_to_the_recommendation(client: Client) -> None:
    recommendation = RecommendationFactory.create()

    response = client.post(endorse_url(recommendation), {"attested": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={recommendation.get_absolute_url()}"
    assert Endorsement.objects.count() == 0


def test_login_after_the_endorse_redirect_comes_back_to_the_recommendation(client: Client) -> None:
    from organizations.tests.factories import UserFactory

    recommendation = RecommendationFactory.create()
    UserFactory.create(username="amina@example.org")
    login = client.post(endorse_url(recommendation))["Location"]

    response = client.post(
        login,
        {"username": "amina@example.org", "password": "correct horse battery staple", "next": login.split("next=")[1]},
    )

    assert response["Location"] == recommendation.get_absolute_url()


# --- The panel --------------------------------------------------------------------------------


def test_endorsement_panel_counts_everyone_and_names_only_the_named(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization__name="Open Org")
    EndorsementFactory.create(recommendation=recommendation, organization__name="Hidden Org", is_named=False)
    EndorsementFactory.create(recommendation=recommendation, organization__name="Gone Org", withdrawn_at=timezone.now())

    html = render_panel(recommendation, AnonymousUser())

    assert "Endorsed by 2 organizations, 1 of them not named." in html
    assert "Open Org" in html
    assert "Hidden Org" not in html
    assert "Gone Org" not in html


def test_endorsement_panel_shows_the_secretariat_who_is_not_named(secretariat: User) -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization__name="Hidden Org", is_named=False)

    html = render_panel(recommendation, secretariat)

    assert "Hidden Org" in html
    assert "counted, not named" in html


def test_endorsement_panel_offers_the_form_to_members_and_withdraw_once_endorsed(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    cso_member.first_name, cso_member.last_name = "Amina", "Diallo"
    cso_member.save()

    before = render_panel(recommendation, cso_member)
    endorse(cso_member, recommendation)
    after = render_panel(recommendation, cso_member)

    assert "I am authorised to endorse on behalf of Verified CSO" in before
    assert 'value="Amina Diallo"' in before
    assert endorse_url(recommendation) in before
    assert withdraw_url(recommendation) in after
    assert endorse_url(recommendation) not in after


@pytest.mark.parametrize("persona", ["donor", "unverified_member"], indirect=True)
def test_endorsement_panel_explains_who_may_endorse(persona: User) -> None:
    html = render_panel(RecommendationFactory.create(), persona)

    assert "Only approved members of verified civil-society and academic organizations" in html
    assert "<form" not in html


def test_endorsement_panel_sends_anonymous_to_login_with_next() -> None:
    recommendation = RecommendationFactory.create()

    html = render_panel(recommendation, AnonymousUser())

    assert f"{reverse('login')}?next={recommendation.get_absolute_url()}" in html


def test_endorsement_panel_query_count_is_constant(cso_member: User, django_assert_max_num_queries: Any) -> None:
    recommendation = RecommendationFactory.create()
    for _ in range(20):
        EndorsementFactory.create(recommendation=recommendation)

    with django_assert_max_num_queries(6):
        html = render_panel(recommendation, cso_member)

    assert "Endorsed by 20 organizations." in html


def test_recommendation_page_includes_the_panel(client: Client) -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, is_named=False)

    response = client.get(recommendation.get_absolute_url())

    assert response.status_code == 200
    assert "Endorsed by 1 organization, not named." in response.content.decode()


# --- Concurrency (PostgreSQL, real transactions) ----------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", ["recommendation", "letter"])
def test_twenty_simultaneous_endorsements_make_exactly_one(target: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    first = MembershipFactory.create(organization__name="Busy Org").user
    second = MembershipFactory.create(organization=organization_of(first)).user
    organization = organization_of(first)
    if target == "letter":
        letter = LetterFactory.create()
        url = reverse("recommendations:letter_sign", kwargs={"slug": letter.slug})
        active = Endorsement.objects.active().filter(letter=letter, organization=organization)
    else:
        recommendation = RecommendationFactory.create()
        url = endorse_url(recommendation)
        active = Endorsement.objects.active().filter(recommendation=recommendation, organization=organization)
    clients = []
    for n in range(20):  # two fast-clicking colleagues, ten requests each
        client = Client()
        client.force_login(first if n % 2 else second)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def fire(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url, form_data(organization)).status_code)
        except BaseException as error:  # a 500 raises here: the test client re-raises view errors
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * 20
    assert active.count() == 1
    assert Endorsement.objects.count() == 1


# --- My organization --------------------------------------------------------------------------


def my_organization_url(user: User) -> str:
    return reverse("my_organization", kwargs={"slug": organization_of(user).slug})


def test_my_organization_lists_endorsements_and_signatures_with_their_status(client: Client, cso_member: User) -> None:
    recommendation = RecommendationFactory.create(headline="Fund the core", status="submitted")
    withdrawn = RecommendationFactory.create(headline="Old idea")
    letter = LetterFactory.create(title="Letter to the Secretary-General")
    endorse(cso_member, recommendation, is_named=False)
    endorse(cso_member, withdrawn)
    services.recommendation_withdraw(
        recommendation=withdrawn, organization=organization_of(cso_member), user=cso_member
    )
    services.letter_sign(
        letter=letter, organization=organization_of(cso_member), user=cso_member, signatory_name="A", attested=True
    )
    client.force_login(cso_member)

    html = client.get(my_organization_url(cso_member)).content.decode()

    assert "Fund the core" in html
    assert "Submitted" in html
    assert "counted but not named" in html
    assert "Old idea" in html
    assert "withdrawn" in html
    assert "Letter to the Secretary-General" in html
    assert '<span class="badge">Open for signature</span>' in html


def test_my_organization_highlights_what_changed_since_the_last_visit(client: Client, cso_member: User) -> None:
    from recommendations.tests.factories import StatusUpdateFactory

    quiet = RecommendationFactory.create(headline="Nothing happened")
    moving = RecommendationFactory.create(headline="Something happened")
    letter = LetterFactory.create()
    for recommendation in (quiet, moving):
        endorse(cso_member, recommendation)
    services.letter_sign(
        letter=letter, organization=organization_of(cso_member), user=cso_member, signatory_name="A", attested=True
    )
    client.force_login(cso_member)
    client.get(my_organization_url(cso_member))

    StatusUpdateFactory.create(recommendation=moving, status="acknowledged", public_reason="Letter received")
    letter.state = "closed"
    letter.save()
    response = client.get(my_organization_url(cso_member))

    html = response.content.decode()
    assert "Letter received" in html
    assert html.count('class="changed"') == 2
    assert "letter updated" in html


@pytest.mark.parametrize("count", [1, 20])
def test_my_organization_query_count_is_constant(
    client: Client, cso_member: User, django_assert_max_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        endorse(cso_member, RecommendationFactory.create())
        services.letter_sign(
            letter=LetterFactory.create(),
            organization=organization_of(cso_member),
            user=cso_member,
            signatory_name="A",
            attested=True,
        )
    client.force_login(cso_member)
    client.get(my_organization_url(cso_member))

    with django_assert_max_num_queries(12):
        response = client.get(my_organization_url(cso_member))

    assert response.content.decode().count("endorsed ") >= count


def test_endorsing_and_withdrawing_make_the_convening_documents_stale(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    versions = [Convening.objects.get(pk=recommendation.convening_id).content_version]

    endorse(cso_member, recommendation)
    versions.append(Convening.objects.get(pk=recommendation.convening_id).content_version)
    endorse(cso_member, recommendation)  # already endorsed: nothing changes, nothing goes stale
    versions.append(Convening.objects.get(pk=recommendation.convening_id).content_version)
    services.recommendation_withdraw(
        recommendation=recommendation, organization=organization_of(cso_member), user=cso_member
    )
    versions.append(Convening.objects.get(pk=recommendation.convening_id).content_version)

    assert versions == [versions[0], versions[0] + 1, versions[0] + 1, versions[0] + 2]
