from __future__ import annotations

import factory

from organizations.tests.factories import UserFactory
from recommendations.tests.factories import RecommendationFactory
from tracking.models import DigestSubscription, Follow


class FollowFactory(factory.django.DjangoModelFactory[Follow]):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    recommendation = factory.SubFactory(RecommendationFactory)


class DigestSubscriptionFactory(factory.django.DjangoModelFactory[DigestSubscription]):
    class Meta:
        model = DigestSubscription

    user = factory.SubFactory(UserFactory)
