from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from conftest import ROUNDTABLE, VIENNA, browser_login, screenshot, seed_text, totp_device_for
from events.models import Convening
from importing.parser import parse_summary
from importing.services import ImportMetadata, convening_import
from organizations.tests.factories import UserFactory
from recommendations.models import Recommendation, SubItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff() -> User:
    # Not the conftest persona: transactional tests flush the Secretariat group its data migration
    # made, and these screens ask only for is_staff.
    user = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(user)
    return user


def test_import_screen_from_paste_to_created_draft(page: Any, staff: User) -> None:
    browser_login(page, staff)
    page.goto("/secretariat/import/")

    page.get_by_label("Paste the summary (plain text or Markdown)").fill(seed_text(VIENNA))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="What was recognised").wait_for()
    screenshot(page, "import-preview-vienna")
    counts = {
        name: page.locator(f'dd[data-count="{name}"]').inner_text()
        for name in ("recommendations", "sub_items", "sessions", "paragraphs", "footnotes", "problems")
    }
    page.get_by_label("Venue").fill("Hofburg Palace")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_role("heading", name="Recommendations").wait_for()
    screenshot(page, "import-created-vienna")

    convening = Convening.objects.get()
    assert counts == {
        "recommendations": "13",
        "sub_items": "18",
        "sessions": "5",
        "paragraphs": "31",
        "footnotes": "2",
        "problems": "0",
    }
    assert page.url.endswith(f"/secretariat/convenings/{convening.slug}/")
    assert "was created from the summary" in page.locator(".messages").inner_text()
    assert (convening.status, convening.venue) == (Convening.Status.DRAFT, "Hofburg Palace")
    assert SubItem.objects.filter(recommendation__convening=convening).count() == 18
    assert convening.paragraphs.count() == 31


def test_import_screen_shows_a_clear_message_for_an_empty_file(page: Any, staff: User, tmp_path: Any) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    browser_login(page, staff)
    page.goto("/secretariat/import/")

    page.get_by_label("…or upload a file").set_input_files(str(empty))
    page.get_by_role("button", name="Preview").click()

    assert "The submitted file is empty." in page.locator("main").inner_text()
    assert Convening.objects.count() == 0


def test_promote_selected_text_to_recommendation_in_browser(page: Any, staff: User) -> None:
    result = parse_summary(seed_text(ROUNDTABLE))
    convening = convening_import(result=result, metadata=ImportMetadata.from_result(result), user=None)
    browser_login(page, staff)
    page.goto(f"/secretariat/convenings/{convening.slug}/")

    # Select the first sentence of paragraph 3 as a person would with the mouse.
    page.evaluate(
        """() => {
            const text = document.querySelector('#p3 .ptext p').firstChild;
            const range = document.createRange();
            range.setStart(text, 0);
            range.setEnd(text, text.textContent.indexOf('.') + 1);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    page.get_by_role("link", name="Promote the selected text to a recommendation").click()
    page.get_by_label("Headline").fill("Make the security case for civil-society engagement")
    screenshot(page, "promote-form")
    page.get_by_role("button", name="Create recommendation").click()
    page.locator("#r1").wait_for()
    screenshot(page, "promote-created")

    recommendation = Recommendation.objects.get(convening=convening)
    assert recommendation.number == 1
    assert [p.number for p in recommendation.source_paragraphs.all()] == [3]
    assert recommendation.body.startswith("Participants discussed")
    assert page.locator("#r1 .provenance").inner_text() == "Came from ¶3"
    assert page.locator("#p3 .promoted").inner_text() == "Promoted to R1"


def test_word_upload_shows_reading_page_then_the_preview_by_itself(page: Any, staff: User) -> None:
    from importing.models import DocumentRead
    from importing.services import document_read_run
    from importing.tests.documents import SMALL_SUMMARY
    from importing.tests.test_readers import docx_from_text

    # A read still waiting for a worker: the page polls, and turns into the preview once read.
    read = DocumentRead.objects.create(user=staff, filename="mediation.docx", data=docx_from_text(SMALL_SUMMARY))
    browser_login(page, staff)
    page.goto(f"/secretariat/import/read/{read.pk}/")
    page.get_by_role("heading", name="Reading your file…").wait_for()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"import-reading-{width}")

    document_read_run(read_id=str(read.pk))
    page.get_by_role("heading", name="What was recognised").wait_for(timeout=10_000)

    assert page.url.endswith(f"/secretariat/import/read/{read.pk}/")
    assert page.locator("#id_title").input_value() == "Roundtable on Neighbourhood Mediation"
    assert Convening.objects.count() == 0


def test_failed_read_offers_a_retry_in_the_browser(page: Any, staff: User) -> None:
    from importing.models import DocumentRead

    read = DocumentRead.objects.create(
        user=staff,
        filename="long.pdf",
        data=b"%PDF-1.4",
        state=DocumentRead.State.FAILED,
        error="This PDF has 2,000 pages; the limit is 200.",
    )
    browser_login(page, staff)
    page.goto(f"/secretariat/import/read/{read.pk}/")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"import-read-failed-{width}")

    assert "the limit is 200" in page.locator("main").inner_text()
    page.get_by_role("button", name="Try again").click()
    page.get_by_role("heading", name="Your file could not be read").wait_for()
    assert "could not be read" in page.locator("main").inner_text()
