"""No confidential participant and no counted-but-not-named organization in a public PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from events.models import Participation
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.tests.factories import OrganizationFactory
from publications import services
from publications.models import Audience, RenderedDocument
from publications.selectors import convening_summary_data
from publications.tests.helpers import pdf_metadata, pdf_text
from recommendations.tests.factories import EndorsementFactory, LetterFactory, RecommendationFactory, ThemeFactory

CONFIDENTIAL = "Harbour Confidential Collective"
NETWORK_ONLY = "Meadow Network Circle"
UNNAMED = "Quiet Unnamed Alliance"
UNNAMED_SIGNER = "Silent Letter Signers"
PUBLIC = "Open Public Forum"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    convening = ConveningFactory.create(summary_title="Meeting Summary")
    participants = {}
    for name, visibility in (
        (CONFIDENTIAL, Participation.Visibility.CONFIDENTIAL),
        (NETWORK_ONLY, Participation.Visibility.NETWORK),
        (PUBLIC, Participation.Visibility.PUBLIC),
    ):
        participants[name] = OrganizationFactory.create(name=name)
        ParticipationFactory.create(convening=convening, organization=participants[name], visibility=visibility)
    # Owners of a next step: each named only where the reader may see its participation.
    NextStepFactory.create(convening=convening, text="Follow up with the host.").owners.set(participants.values())
    theme = ThemeFactory.create(name="Youth", slug="youth")
    rec = RecommendationFactory.create(convening=convening, number=1, headline="Fund youth work")
    rec.themes.set([theme])
    EndorsementFactory.create(recommendation=rec, organization=OrganizationFactory.create(name=UNNAMED), is_named=False)
    EndorsementFactory.create(recommendation=rec, organization=OrganizationFactory.create(name="Named Endorser"))
    letter = LetterFactory.create(convening=convening)
    letter.recommendations.set([rec])
    EndorsementFactory.create(
        recommendation=None, letter=letter, organization=OrganizationFactory.create(name=UNNAMED_SIGNER), is_named=False
    )
    EndorsementFactory.create(
        recommendation=None, letter=letter, organization=OrganizationFactory.create(name="Named Signer")
    )
    return {"convening": convening, "theme": theme, "letter": letter}


def _documents(world: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (RenderedDocument.Kind.SUMMARY, world["convening"]),
        (RenderedDocument.Kind.BRIEF, world["convening"]),
        (RenderedDocument.Kind.BRIEF, world["theme"]),
        (RenderedDocument.Kind.LETTER, world["letter"]),
    ]


def _everything(pdf: bytes) -> str:
    return pdf_text(pdf) + " " + str(pdf_metadata(pdf))


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.NETWORK])
def test_public_and_network_pdfs_name_no_confidential_or_unnamed_organization(
    world: dict[str, Any], audience: str
) -> None:
    forbidden = [CONFIDENTIAL, UNNAMED, UNNAMED_SIGNER] + ([NETWORK_ONLY] if audience == Audience.PUBLIC else [])

    leaks = []
    for kind, obj in _documents(world):
        data = services.document_data(kind=kind, obj=obj, audience=audience)
        content = _everything(services.render_bytes(kind=kind, data=data, audience=audience).pdf)
        leaks += [(kind, name) for name in forbidden if name in content]

    assert leaks == []


def test_secretariat_summary_lists_confidential_participants_but_never_unnamed_endorsers(
    world: dict[str, Any],
) -> None:
    data = services.document_data(
        kind=RenderedDocument.Kind.SUMMARY, obj=world["convening"], audience=Audience.SECRETARIAT
    )

    content = _everything(services.render_bytes(kind="summary", data=data, audience=Audience.SECRETARIAT).pdf)

    assert [CONFIDENTIAL in content, NETWORK_ONLY in content, UNNAMED in content] == [True, True, False]


def test_letter_counts_unnamed_signatories_without_naming_them(world: dict[str, Any]) -> None:
    data = services.document_data(kind=RenderedDocument.Kind.LETTER, obj=world["letter"], audience=Audience.PUBLIC)

    content = pdf_text(services.render_bytes(kind="letter", data=data, audience=Audience.PUBLIC).pdf)

    assert ["Named Signer" in content, "and 1 further organization" in content, UNNAMED_SIGNER in content] == [
        True,
        True,
        False,
    ]


def test_downloaded_public_summary_leaks_nothing(
    world: dict[str, Any], client: Client, secretariat: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = Client()
    staff.force_login(secretariat)
    url = f"/convenings/{world['convening'].slug}/summary.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        first = (staff.get(url).status_code, client.get(url).status_code)

    response = client.get(url)

    content = _everything(b"".join(response.streaming_content))  # type: ignore[attr-defined]  # a streamed file response
    assert (first, response.status_code, RenderedDocument.objects.ready().count()) == ((202, 202), 200, 2)
    assert [name for name in (CONFIDENTIAL, NETWORK_ONLY, UNNAMED) if name in content] == []
    assert PUBLIC in content


def test_summary_names_next_step_owners_by_audience(world: dict[str, Any]) -> None:
    named = {}
    for audience in (Audience.PUBLIC, Audience.NETWORK, Audience.SECRETARIAT):
        data = convening_summary_data(convening=world["convening"], audience=audience)
        named[audience] = data.next_steps[0].owners

    assert named == {
        Audience.PUBLIC: [PUBLIC],
        Audience.NETWORK: [NETWORK_ONLY, PUBLIC],
        Audience.SECRETARIAT: [CONFIDENTIAL, NETWORK_ONLY, PUBLIC],
    }
