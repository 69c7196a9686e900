"""Tallies: the denormalised endorsement counts the triggers keep, and their nightly repair."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from events.models import Convening
from organizations.models import Membership, Organization
from organizations.tests.factories import OrganizationFactory
from recommendations import services, tasks
from recommendations.models import Letter, Recommendation
from recommendations.tests.factories import EndorsementFactory, LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def tallies(recommendation: Recommendation) -> tuple[int, int]:
    row = Recommendation.objects.get(pk=recommendation.pk)
    return row.endorsement_tally, row.unnamed_tally


def organization_tally(organization: Organization) -> int:
    return Organization.objects.get(pk=organization.pk).named_endorsement_tally


def test_endorse_and_withdraw_move_the_tallies_in_the_same_transaction(cso_member: User) -> None:
    organization = Membership.objects.get(user=cso_member).organization
    recommendation = RecommendationFactory.create()

    services.recommendation_endorse(
        recommendation=recommendation, organization=organization, user=cso_member, signatory_name="A", attested=True
    )
    after_endorse = (tallies(recommendation), organization_tally(organization))
    services.recommendation_withdraw(recommendation=recommendation, organization=organization, user=cso_member)

    assert after_endorse == ((1, 0), 1)
    assert (tallies(recommendation), organization_tally(organization)) == ((0, 0), 0)


def test_an_unnamed_endorsement_is_counted_but_never_moves_the_organizations_tally() -> None:
    organization = OrganizationFactory.create()
    recommendation = RecommendationFactory.create()

    EndorsementFactory.create(recommendation=recommendation, organization=organization, is_named=False)

    assert tallies(recommendation) == (1, 1)
    assert organization_tally(organization) == 0


def test_signing_and_withdrawing_move_the_letters_tally(cso_member: User) -> None:
    organization = Membership.objects.get(user=cso_member).organization
    letter = LetterFactory.create()

    services.letter_sign(letter=letter, organization=organization, user=cso_member, signatory_name="A", attested=True)
    signed = Letter.objects.get(pk=letter.pk).signature_tally
    services.letter_withdraw(letter=letter, organization=organization, user=cso_member)

    assert (signed, Letter.objects.get(pk=letter.pk).signature_tally) == (1, 0)
    assert organization_tally(organization) == 0  # signatures are not the facet's endorsements


def test_unpublishing_a_convening_recounts_its_endorsers() -> None:
    organization = OrganizationFactory.create()
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=organization)
    EndorsementFactory.create(organization=organization)  # another convening's recommendation

    Convening.objects.filter(pk=recommendation.convening_id).update(status=Convening.Status.DRAFT)

    assert organization_tally(organization) == 1
    assert tallies(recommendation) == (1, 0)


def test_saving_a_stale_copy_keeps_the_tally() -> None:
    recommendation = RecommendationFactory.create()
    stale = Recommendation.objects.get(pk=recommendation.pk)
    EndorsementFactory.create(recommendation=recommendation)

    stale.headline = "Edited in a form opened before the endorsement"
    stale.save()

    assert tallies(recommendation) == (1, 0)
    assert Recommendation.objects.get(pk=recommendation.pk).headline == stale.headline


def test_reconcile_repairs_drift_and_then_has_nothing_to_do() -> None:
    organization = OrganizationFactory.create()
    recommendation = RecommendationFactory.create()
    letter = LetterFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=organization)
    EndorsementFactory.create(recommendation=recommendation, is_named=False)
    EndorsementFactory.create(recommendation=recommendation, withdrawn_at=timezone.now())
    EndorsementFactory.create(recommendation=None, letter=letter)
    # Drift, as a restore of an old backup or a bulk load with triggers off would leave it.
    Recommendation.objects.filter(pk=recommendation.pk).update(endorsement_tally=9, unnamed_tally=0)
    Letter.objects.filter(pk=letter.pk).update(signature_tally=0)
    Organization.objects.filter(pk=organization.pk).update(named_endorsement_tally=5)

    first = tasks.tallies_reconcile()
    second = tasks.tallies_reconcile()

    assert first == {"recommendations.Recommendation": 1, "recommendations.Letter": 1, "organizations.Organization": 1}
    assert tallies(recommendation) == (2, 1)
    assert Letter.objects.get(pk=letter.pk).signature_tally == 1
    assert organization_tally(organization) == 1
    assert set(second.values()) == {0}


def test_reconcile_runs_nightly_from_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["recommendations-tallies-reconcile"]

    assert entry["task"] == "recommendations.tasks.tallies_reconcile"


def test_reconcile_command_says_what_it_repaired() -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation)
    Recommendation.objects.filter(pk=recommendation.pk).update(endorsement_tally=0)
    out = io.StringIO()

    call_command("reconcile_tallies", stdout=out)

    assert out.getvalue().strip() == (
        "tallies repaired: organizations.Organization 0, recommendations.Letter 0, recommendations.Recommendation 1"
    )
