from __future__ import annotations

import datetime as dt

import factory

from events.models import Convening, Footnote, KeyTheme, NextStep, Paragraph, Participation, Session
from organizations.tests.factories import OrganizationFactory


class ConveningFactory(factory.django.DjangoModelFactory[Convening]):
    class Meta:
        model = Convening

    title = factory.Sequence(lambda n: f"Convening {n}")
    slug = factory.Sequence(lambda n: f"convening-{n}")
    code = factory.Sequence(lambda n: f"CSD-2025-X{n:03d}")
    kind = Convening.Kind.CIVIL_SOCIETY_DAY
    start_date = dt.date(2025, 5, 25)
    city = "Vienna"
    country = "Austria"
    status = Convening.Status.PUBLISHED


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    convening = factory.SubFactory(ConveningFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Session {n + 1}")


class ParagraphFactory(factory.django.DjangoModelFactory[Paragraph]):
    class Meta:
        model = Paragraph

    convening = factory.SubFactory(ConveningFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Participants discussed the matter at length."


class FootnoteFactory(factory.django.DjangoModelFactory[Footnote]):
    class Meta:
        model = Footnote

    convening = factory.SubFactory(ConveningFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "A note."


class KeyThemeFactory(factory.django.DjangoModelFactory[KeyTheme]):
    class Meta:
        model = KeyTheme

    convening = factory.SubFactory(ConveningFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "a theme of the day;"


class NextStepFactory(factory.django.DjangoModelFactory[NextStep]):
    class Meta:
        model = NextStep

    convening = factory.SubFactory(ConveningFactory)
    text = "Circulate the summary."


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    convening = factory.SubFactory(ConveningFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participation.Role.PARTICIPANT
    visibility = Participation.Visibility.PUBLIC
