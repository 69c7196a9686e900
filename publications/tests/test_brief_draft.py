"""The brief's circulated draft (a brief consultation) in the brief PDF: the secretariat's preview
shows it at once, every other audience only once the secretariat publishes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from consultations.models import Consultation
from consultations.services import brief_publish, consultation_open
from events.models import Convening
from publications import render, selectors, services
from publications.models import Audience, RenderedDocument
from publications.tests.helpers import convening_with, pdf_pages, pdf_text, squash

DRAFT = "Donors should fund youth-led prevention for five years. Ministries should publish what they spent."


def _brief(convening: Convening, audience: str) -> tuple[str, render.Rendered]:
    data = selectors.convening_brief_data(convening=convening, audience=audience)
    rendered = render.render_brief_document(data, audience=audience)
    return squash(pdf_text(rendered.pdf)), rendered


def _circulating(convening: Convening, secretariat: User, *, text: str = DRAFT) -> Consultation:
    chosen = list(convening.recommendations.filter(number__in=[2, 4]))
    return consultation_open(
        kind=Consultation.Kind.BRIEF, user=secretariat, convening=convening, text=text, selection=chosen
    )


def test_the_secretariat_preview_shows_the_circulating_draft_and_its_selection(secretariat: User) -> None:
    convening = convening_with(5)
    _circulating(convening, secretariat)

    text, rendered = _brief(convening, Audience.SECRETARIAT)

    shown = [n for n in range(1, 6) if f"{convening.code}/R{n} " in text]
    assert (DRAFT in text, shown, "2 recommendations" in text, rendered.pages, rendered.layouts) == (
        True,
        [2, 4],
        True,
        1,
        1,
    )


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.NETWORK])
def test_draft_text_never_reaches_another_audience_before_it_is_published(secretariat: User, audience: str) -> None:
    convening = convening_with(5)
    consultation = _circulating(convening, secretariat)

    before, _rendered = _brief(convening, audience)
    version_before = services.document_version(kind=RenderedDocument.Kind.BRIEF, obj=convening, audience=audience)
    brief_publish(consultation=consultation, user=secretariat)
    convening.refresh_from_db()
    after, rendered = _brief(convening, audience)

    assert ("Donors should fund" in before, [n for n in range(1, 6) if f"{convening.code}/R{n} " in before]) == (
        False,
        [1, 2, 3, 4, 5],
    )
    assert version_before == str(convening.content_version - 1)
    assert (DRAFT in after, [n for n in range(1, 6) if f"{convening.code}/R{n} " in after], rendered.pages) == (
        True,
        [2, 4],
        1,
    )


def test_a_new_draft_text_is_a_new_secretariat_file_but_not_a_public_one(secretariat: User) -> None:
    convening = convening_with(3)
    consultation = _circulating(convening, secretariat)
    versions = {
        audience: services.document_version(kind=RenderedDocument.Kind.BRIEF, obj=convening, audience=audience)
        for audience in (Audience.SECRETARIAT, Audience.PUBLIC)
    }

    Consultation.objects.filter(pk=consultation.pk).update(text="A reworded draft.")

    assert (
        services.document_version(kind=RenderedDocument.Kind.BRIEF, obj=convening, audience=Audience.SECRETARIAT)
        != versions[Audience.SECRETARIAT],
        services.document_version(kind=RenderedDocument.Kind.BRIEF, obj=convening, audience=Audience.PUBLIC),
    ) == (True, versions[Audience.PUBLIC])


def test_a_long_draft_keeps_the_brief_to_one_page_in_one_layout(secretariat: User) -> None:
    convening = convening_with(40, long=True)
    _circulating(convening, secretariat, text=" ".join([DRAFT] * 40))

    text, rendered = _brief(convening, Audience.SECRETARIAT)

    assert (pdf_pages(rendered.pdf), rendered.layouts, "Donors should fund youth-led" in text) == (1, 1, True)


def test_only_the_secretariat_publishes_a_brief_and_only_by_post(
    client: Client, secretariat: User, cso_member: User
) -> None:
    convening = convening_with(2)
    consultation = _circulating(convening, secretariat)
    url = reverse("secretariat:brief_publish", args=[consultation.pk])
    client.force_login(cso_member)
    refused = client.post(url).status_code
    client.force_login(secretariat)
    not_get = client.get(url).status_code

    published = client.post(url)

    consultation.refresh_from_db()
    assert (refused, not_get, published.status_code, consultation.published_at is not None) == (404, 405, 302, True)
    assert consultation.closed_at is not None


def test_publishing_what_is_not_a_brief_is_refused_with_a_message(client: Client, secretariat: User) -> None:
    convening = convening_with(1, status=Convening.Status.DRAFT)
    consultation = consultation_open(kind=Consultation.Kind.CONVENING, user=secretariat, convening=convening)
    client.force_login(secretariat)

    response = client.post(reverse("secretariat:brief_publish", args=[consultation.pk]), follow=True)

    consultation.refresh_from_db()
    assert (response.status_code, consultation.published_at) == (200, None)
    assert "Only a brief" in response.content.decode()
