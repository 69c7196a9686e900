from __future__ import annotations

import factory

from consultations.models import Consultation, Input
from organizations.tests.factories import OrganizationFactory, UserFactory
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory


class ConsultationFactory(factory.django.DjangoModelFactory[Consultation]):
    """A letter circulating for inputs, with its open consultation."""

    class Meta:
        model = Consultation

    kind = Consultation.Kind.LETTER
    letter = factory.SubFactory(
        LetterFactory, state=Letter.State.OPEN_FOR_INPUTS, body="We ask you to fund civil society for the long term."
    )
    title = factory.LazyAttribute(lambda c: c.letter.title if c.letter else "A draft")


class InputFactory(factory.django.DjangoModelFactory[Input]):
    class Meta:
        model = Input

    consultation = factory.SubFactory(ConsultationFactory)
    part = "letter"
    kind = Input.Kind.COMMENT
    organization = factory.SubFactory(OrganizationFactory)
    author = factory.SubFactory(UserFactory)
    text = "Please say who funds it."
