"""Rules that belong to the database are enforced by it, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.tests.factories import ConveningFactory, ParagraphFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Endorsement, Recommendation
from recommendations.tests.factories import (
    EndorsementFactory,
    LetterFactory,
    RecommendationFactory,
    SubItemFactory,
)

pytestmark = pytest.mark.django_db


def test_recommendation_number_is_unique_within_its_convening() -> None:
    convening = ConveningFactory.create()
    RecommendationFactory.create(convening=convening, number=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationFactory.create(convening=convening, number=2)


def test_recommendation_number_may_repeat_across_convenings() -> None:
    RecommendationFactory.create(number=2)
    RecommendationFactory.create(number=2)

    assert Recommendation.objects.filter(number=2).count() == 2


def test_subitem_letter_is_unique_within_its_recommendation() -> None:
    recommendation = RecommendationFactory.create()
    SubItemFactory.create(recommendation=recommendation, letter="b")

    with pytest.raises(IntegrityError), transaction.atomic():
        SubItemFactory.create(recommendation=recommendation, letter="b")


def test_paragraph_number_is_unique_within_its_convening() -> None:
    convening = ConveningFactory.create()
    ParagraphFactory.create(convening=convening, number=29)

    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphFactory.create(convening=convening, number=29)


def test_organization_has_one_active_endorsement_per_recommendation() -> None:
    recommendation, organization = RecommendationFactory.create(), OrganizationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=organization)

    with pytest.raises(IntegrityError), transaction.atomic():
        EndorsementFactory.create(recommendation=recommendation, organization=organization)


def test_endorsing_again_after_withdrawal_is_allowed() -> None:
    recommendation, organization = RecommendationFactory.create(), OrganizationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=organization, withdrawn_at=timezone.now())

    EndorsementFactory.create(recommendation=recommendation, organization=organization)

    assert Endorsement.objects.filter(recommendation=recommendation, organization=organization).count() == 2
    assert Endorsement.objects.active().filter(recommendation=recommendation).count() == 1


def test_organization_signs_a_letter_once() -> None:
    letter, organization = LetterFactory.create(), OrganizationFactory.create()
    EndorsementFactory.create(recommendation=None, letter=letter, organization=organization)

    with pytest.raises(IntegrityError), transaction.atomic():
        EndorsementFactory.create(recommendation=None, letter=letter, organization=organization)


def test_endorsement_targets_exactly_one_object() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EndorsementFactory.create(recommendation=RecommendationFactory.create(), letter=LetterFactory.create())


def test_recommendation_reference_is_citable() -> None:
    convening = ConveningFactory.create(code="CSD-2017-VIE")
    recommendation = RecommendationFactory.create(convening=convening, number=2)
    sub_item = SubItemFactory.create(recommendation=recommendation, letter="b")

    assert (recommendation.reference, sub_item.reference) == ("CSD-2017-VIE/R2", "CSD-2017-VIE/R2.b")
