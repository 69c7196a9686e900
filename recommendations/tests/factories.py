from __future__ import annotations

from typing import Any

import factory
from django.utils.text import slugify

from events.tests.factories import ConveningFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    RecommendationLink,
    StatusUpdate,
    SubItem,
    Theme,
)


class _VocabularyFactory(factory.django.DjangoModelFactory[Any]):
    """The names of the installed vocabulary (migration 0011) are taken: a test asking for one under
    another slug gets the installed row, as a second row of that name cannot exist."""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        existing = model_class.objects.filter(name_en=kwargs.get("name")).first()
        return existing or super()._create(model_class, *args, **kwargs)


class ThemeFactory(_VocabularyFactory, factory.django.DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    # From the name, so that ThemeFactory(name="Youth") is the vocabulary's youth (migration 0011)
    # rather than a second theme of that name.
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AddresseeFactory(_VocabularyFactory, factory.django.DjangoModelFactory[Addressee]):
    class Meta:
        model = Addressee
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Addressee {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))  # as ThemeFactory.slug


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


class RecommendationLinkFactory(factory.django.DjangoModelFactory[RecommendationLink]):
    class Meta:
        model = RecommendationLink

    from_recommendation = factory.SubFactory(RecommendationFactory)
    to_recommendation = factory.SubFactory(RecommendationFactory)
    kind = RecommendationLink.Kind.RESTATES
