from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import Client

from events.models import Convening
from events.services import convening_content_changed
from events.tests.factories import ConveningFactory
from publications.models import Audience, RenderedDocument
from publications.tests.helpers import convening_with, pdf_pages, pdf_text, summary_convening
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory, ThemeFactory


def _download(client: Client, url: str, capture: Any) -> Any:
    """First request: the render is sent after commit (here: run in-process); the second is served."""
    with capture(execute=True):
        client.get(url)
    return client.get(url)


def test_summary_pdf_is_served_as_attachment_named_by_reference_and_date(
    client: Client, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    convening = summary_convening(code="CSD-2017-VIE")

    response = _download(client, f"/convenings/{convening.slug}/summary.pdf", django_capture_on_commit_callbacks)

    document = RenderedDocument.objects.get()
    disposition = response["Content-Disposition"]
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert disposition == f'attachment; filename="{document.filename}"'
    assert document.filename.startswith("GSX-CSD-2017-VIE-summary-20")
    assert "Invest in trust" in pdf_text(b"".join(response.streaming_content))


def test_cached_pdf_is_served_without_rendering(
    client: Client, db: None, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    convening = convening_with(3)
    url = f"/convenings/{convening.slug}/brief.pdf"
    _download(client, url, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(4):
        response = client.get(url)

    document = RenderedDocument.objects.get()
    assert (response.status_code, callbacks, document.attempts) == (200, [], 1)
    assert pdf_pages(b"".join(response.streaming_content)) == 1  # type: ignore[attr-defined]  # a streamed file response


def test_first_request_answers_202_preparing_page_that_polls(client: Client, db: None) -> None:
    convening = convening_with(1)

    response = client.get(f"/convenings/{convening.slug}/brief.pdf")

    content = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (202, "1")
    assert "Preparing your PDF…" in content
    assert f'hx-get="/convenings/{convening.slug}/brief.pdf"' in content


def test_poll_starts_the_download_when_ready(client: Client, db: None, django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(1)
    url = f"/convenings/{convening.slug}/brief.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)

    response = client.get(url, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert (
        response.status_code,
        "Your PDF is ready" in content,
        f'<iframe class="visually-hidden" src="{url}"' in content,
    ) == (200, True, True)


def test_poll_keeps_polling_while_pending(client: Client, db: None) -> None:
    convening = convening_with(1)
    url = f"/convenings/{convening.slug}/brief.pdf"
    client.get(url)

    response = client.get(url, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert (response.status_code, "<iframe" in content, 'hx-trigger="every 1s"' in content) == (200, False, True)


def test_failed_render_answers_a_friendly_page(client: Client, db: None) -> None:
    convening = convening_with(1)
    RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=convening.pk, version="1", audience="public", state="failed"
    )

    response = client.get(f"/convenings/{convening.slug}/brief.pdf")

    assert (response.status_code, "could not be prepared" in response.content.decode()) == (503, True)


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 404), ("cso_member", 404), ("secretariat", 202)], indirect=["persona"]
)
def test_draft_convening_pdf_is_secretariat_only(client: Client, db: None, persona: Any, status: int) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    if persona.is_authenticated:
        client.force_login(persona)

    response = client.get(f"/convenings/{convening.slug}/summary.pdf")

    assert response.status_code == status


def test_secretariat_file_is_never_served_to_the_public(client: Client, db: None) -> None:
    convening = convening_with(1)
    secret = RenderedDocument(
        kind="summary", subject="convening", subject_id=convening.pk, version="1", audience=Audience.SECRETARIAT
    )
    secret.file.save("secret.pdf", ContentFile(b"%PDF-1.7 secretariat copy"), save=False)
    secret.state = RenderedDocument.State.READY
    secret.save()

    response = client.get(f"/convenings/{convening.slug}/summary.pdf")

    audiences = sorted(RenderedDocument.objects.values_list("audience", flat=True))
    assert (response.status_code, audiences) == (202, ["public", "secretariat"])


@pytest.mark.parametrize(
    ("persona", "audience"),
    [("anonymous", "public"), ("donor", "public"), ("cso_member", "network"), ("secretariat", "secretariat")],
    indirect=["persona"],
)
def test_each_persona_gets_its_audience(client: Client, db: None, persona: Any, audience: str) -> None:
    convening = convening_with(1)
    if persona.is_authenticated:
        client.force_login(persona)

    client.get(f"/convenings/{convening.slug}/brief.pdf")

    assert list(RenderedDocument.objects.values_list("audience", flat=True)) == [audience]


def test_theme_brief_and_letter_are_served(client: Client, db: None, django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(2)
    theme = ThemeFactory.create(slug="youth", name="Youth")
    convening.recommendations.get(number=1).themes.set([theme])
    letter = LetterFactory.create(slug="to-the-sg", title="To the Secretary-General")

    brief = _download(client, "/themes/youth/brief.pdf", django_capture_on_commit_callbacks)
    sent = _download(client, "/letters/to-the-sg/letter.pdf", django_capture_on_commit_callbacks)

    assert (brief.status_code, sent.status_code) == (200, 200)
    assert "To the Secretary-General" in pdf_text(b"".join(sent.streaming_content))
    assert f"{convening.code}/R1" in pdf_text(b"".join(brief.streaming_content))
    assert letter.state == Letter.State.OPEN_FOR_SIGNATURE


def test_draft_letter_pdf_is_not_found(client: Client, db: None) -> None:
    LetterFactory.create(slug="draft-letter", state=Letter.State.DRAFT)

    response = client.get("/letters/draft-letter/letter.pdf")

    assert response.status_code == 404


def test_download_button_links_each_kind(db: None) -> None:
    convening = convening_with(1)
    theme = ThemeFactory.create(slug="gender")
    letter = LetterFactory.create(slug="open-letter")
    template = Template(
        '{% include "publications/_download_button.html" with kind="summary" obj=convening %}'
        '{% include "publications/_download_button.html" with kind="brief" obj=convening %}'
        '{% include "publications/_download_button.html" with kind="brief" obj=theme %}'
        '{% include "publications/_download_button.html" with kind="letter" obj=letter %}'
    )

    html = template.render(Context({"convening": convening, "theme": theme, "letter": letter}))

    assert [
        f'href="/convenings/{convening.slug}/summary.pdf"' in html,
        f'href="/convenings/{convening.slug}/brief.pdf"' in html,
        'href="/themes/gender/brief.pdf"' in html,
        'href="/letters/open-letter/letter.pdf"' in html,
    ] == [True] * 4


def test_content_change_makes_the_next_request_render_anew(
    client: Client, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    convening = convening_with(1)
    url = f"/convenings/{convening.slug}/brief.pdf"
    _download(client, url, django_capture_on_commit_callbacks)

    convening_content_changed(convening_id=convening.pk)
    response = client.get(url)

    versions = sorted(RenderedDocument.objects.values_list("version", flat=True))
    assert (response.status_code, versions) == (202, ["1", "2"])


def test_missing_file_is_rendered_again(client: Client, db: None, django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(1)
    url = f"/convenings/{convening.slug}/brief.pdf"
    _download(client, url, django_capture_on_commit_callbacks)
    RenderedDocument.objects.get().file.delete(save=False)

    with django_capture_on_commit_callbacks(execute=True):
        gone = client.get(url)
    again = client.get(url)

    assert (gone.status_code, again.status_code, again["Content-Type"]) == (202, 200, "application/pdf")
