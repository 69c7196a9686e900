from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import screenshot
from publications import services
from publications.models import RenderedDocument
from publications.tests.helpers import convening_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preparing_page_polls_and_starts_the_download(page: Any, live_server: Any) -> None:
    convening = convening_with(3)
    # Sent to a worker that has not picked it up yet.
    document = RenderedDocument.objects.create(
        kind="brief",
        subject="convening",
        subject_id=convening.pk,
        version=str(convening.content_version),
        audience="public",
        enqueued_at=timezone.now(),
    )
    page.goto(f"/convenings/{convening.slug}/")
    page.get_by_role("link", name="Download the one-page brief (PDF)").click()
    page.get_by_role("heading", name="Preparing your PDF…").wait_for()
    screenshot(page, "publications-preparing")

    with page.expect_download(timeout=20_000) as download:
        services.document_render(document_id=document.pk)

    assert download.value.suggested_filename == RenderedDocument.objects.get().filename
    assert page.get_by_text("Your PDF is ready").is_visible()
