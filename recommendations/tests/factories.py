from __future__ import annotations

import factory

from events.tests.factories import ConveningFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    StatusUpdate,
    SubItem,
    Theme,
)


class ThemeFactory(factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class AddresseeFactory(factory.django.DjangoModelFactory[Addressee]):
    class Meta:
        model = Addressee
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Addressee {n}")
    slug = factory.Sequence(lambda n: f"addressee-{n}")


class RecommendationFactory(factory.django.DjangoModelFactory[Recommendation]):
    class Meta:
        model = Recommendation

    convening = factory.SubFactory(ConveningFactory)
    number = factory.Sequence(lambda n: n + 1)
    headline = factory.Sequence(lambda n: f"Recommendation headline {n}")
    body = "Governments should act on this."


class SubItemFactory(factory.django.DjangoModelFactory[SubItem]):
    class Meta:
        model = SubItem

    recommendation = factory.SubFactory(RecommendationFactory)
    letter = factory.Sequence(lambda n: "abcdefghijklmnopqrstuvwxyz"[n % 26])
    text = "a lettered sub-item;"


class LetterFactory(factory.django.DjangoModelFactory[Letter]):
    class Meta:
        model = Letter

    title = factory.Sequence(lambda n: f"Letter {n}")
    slug = factory.Sequence(lambda n: f"letter-{n}")
    body = "We, the undersigned organizations, ask you to act."
    state = Letter.State.OPEN_FOR_SIGNATURE


class EndorsementFactory(factory.django.DjangoModelFactory[Endorsement]):
    class Meta:
        model = Endorsement

    recommendation = factory.SubFactory(RecommendationFactory)
    organization = factory.SubFactory(OrganizationFactory)
    signatory_name = "A. Signatory"
    is_named = True


class AddresseeResponseFactory(factory.django.DjangoModelFactory[AddresseeResponse]):
    class Meta:
        model = AddresseeResponse

    recommendation = factory.SubFactory(RecommendationFactory)
    addressee = factory.SubFactory(AddresseeFactory)


class StatusUpdateFactory(factory.django.DjangoModelFactory[StatusUpdate]):
    class Meta:
        model = StatusUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    status = "submitted"
