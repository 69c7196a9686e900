"""visible_to as a matrix: persona × draft/published convening × participation visibility."""

from __future__ import annotations

import pytest

from conftest import SEES_PARTICIPATIONS
from events.models import Convening, Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from recommendations.models import Recommendation
from recommendations.tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

PUBLIC, NETWORK, CONFIDENTIAL = (
    Participation.Visibility.PUBLIC,
    Participation.Visibility.NETWORK,
    Participation.Visibility.CONFIDENTIAL,
)


@pytest.mark.parametrize("persona", list(SEES_PARTICIPATIONS), indirect=True)
@pytest.mark.parametrize("status", [Convening.Status.DRAFT, Convening.Status.PUBLISHED])
@pytest.mark.parametrize("visibility", [PUBLIC, NETWORK, CONFIDENTIAL])
def test_participation_visible_to_matrix(persona, status, visibility, request) -> None:
    participation = ParticipationFactory.create(convening__status=status, visibility=visibility)
    name = request.node.callspec.params["persona"]
    expected = name == "secretariat" or (
        status == Convening.Status.PUBLISHED and visibility in SEES_PARTICIPATIONS[name]
    )

    visible = Participation.objects.visible_to(persona).filter(pk=participation.pk).exists()

    assert visible is expected


@pytest.mark.parametrize("persona", list(SEES_PARTICIPATIONS), indirect=True)
@pytest.mark.parametrize("status", [Convening.Status.DRAFT, Convening.Status.PUBLISHED])
def test_convening_and_recommendations_visible_to_matrix(persona, status, request) -> None:
    recommendation = RecommendationFactory.create(convening__status=status)
    expected = request.node.callspec.params["persona"] == "secretariat" or status == Convening.Status.PUBLISHED

    convening_visible = Convening.objects.visible_to(persona).filter(pk=recommendation.convening_id).exists()
    recommendation_visible = Recommendation.objects.visible_to(persona).filter(pk=recommendation.pk).exists()

    assert (convening_visible, recommendation_visible) == (expected, expected)


def test_participation_of_unverified_organization_is_hidden_from_public() -> None:
    participation = ParticipationFactory.create(organization__verified_at=None, visibility=PUBLIC)

    assert not Participation.objects.visible_to(None).filter(pk=participation.pk).exists()


def test_participation_defaults_to_confidential() -> None:
    convening = ConveningFactory.create()

    participation = Participation(convening=convening)

    assert participation.visibility == CONFIDENTIAL
