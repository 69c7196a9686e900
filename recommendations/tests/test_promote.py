from __future__ import annotations

import pytest

from events.tests.factories import ConveningFactory, ParagraphFactory
from recommendations.models import Recommendation
from recommendations.services import PromotionRefused, recommendation_promote

pytestmark = pytest.mark.django_db


def test_recommendation_promote_across_convenings_is_refused() -> None:
    one, other = ParagraphFactory.create(), ParagraphFactory.create()

    with pytest.raises(PromotionRefused, match="different convenings"):
        recommendation_promote(paragraphs=[one, other], headline="A headline", body="", user=None)

    assert Recommendation.objects.count() == 0


def test_recommendation_promote_without_headline_is_refused() -> None:
    paragraph = ParagraphFactory.create(convening=ConveningFactory.create())

    with pytest.raises(PromotionRefused, match="headline"):
        recommendation_promote(paragraphs=[paragraph], headline="   ", body="Body", user=None)

    assert Recommendation.objects.count() == 0
