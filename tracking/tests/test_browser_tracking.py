"""In a real browser: the secretariat records updates from the recommendation page; they show on
the timeline and the dashboard; contested claims stand side by side."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import browser_login, screenshot, totp_device_for
from events.tests.factories import ConveningFactory
from organizations.tests.factories import UserFactory
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff():
    # Not the conftest persona: transactional tests flush the Secretariat group its data
    # migration creates, and the pages here only ask is_staff.
    user = UserFactory.create(username="officer", is_staff=True)
    totp_device_for(user)
    return user


def _record(page, *, addressee: str, status: str, source: str, reason: str, url: str = "", file=None) -> None:
    form = page.locator("form[action*='/updates/new/']")
    if not form.is_visible():
        page.get_by_text("Record a status update").click()
    form.get_by_label("Addressee").select_option(label=addressee)
    form.get_by_label("New status").select_option(label=status)
    form.get_by_label("Date").fill("2025-03-01")
    form.get_by_label("Source of the claim").select_option(label=source)
    form.get_by_label("Public reason").fill(reason)
    if url:
        form.get_by_label("Evidence link").fill(url)
    if file:
        form.get_by_label("Evidence file").set_input_files(file)
    # The form posts and redirects: wait for the new page, since is_visible() and count() below
    # do not wait and would otherwise read the page being left.
    with page.expect_navigation():
        form.get_by_role("button", name="Record update").click()


def test_staff_records_updates_and_sees_them_on_the_timeline_and_dashboard(page, staff, tmp_path, settings) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    convening = ConveningFactory.create(
        slug="vienna-day", title="Vienna Civil Society Day", start_date=dt.date(2024, 5, 25)
    )
    recommendation = RecommendationFactory.create(
        convening=convening, number=3, headline="Fund youth-led prevention work"
    )
    recommendation.addressees.set([AddresseeFactory.create(name="UNDP", slug="undp")])
    evidence = tmp_path / "undp-reply.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% a reply\n")
    browser_login(page, staff)

    page.goto(recommendation.get_absolute_url())
    _record(
        page,
        addressee="UNDP",
        status="Implemented",
        source="Statement by the addressee",
        reason="UNDP reports the fund is running",
        url="https://undp.example/annual-report",
        file=str(evidence),
    )

    timeline = page.locator("[data-testid=timeline-entry]")
    assert page.locator(".message.success").inner_text().startswith("Status update recorded")
    assert timeline.count() == 1
    assert "Implemented" in timeline.first.inner_text()
    assert timeline.first.get_by_role("link", name="Evidence link").get_attribute("href") == (
        "https://undp.example/annual-report"
    )
    assert timeline.first.get_by_role("link", name="File: undp-reply.pdf").is_visible()
    assert page.get_by_test_id("overall-status").inner_text() == "Implemented"
    screenshot(page, "tracking-timeline")

    _record(
        page,
        addressee="UNDP",
        status="In progress",
        source="CSO monitoring",
        reason="Monitoring finds the fund only half disbursed",
        url="https://cso.example/monitoring",
    )

    claims = page.locator("[data-testid=claim]")
    assert page.get_by_role("heading", name="Sources disagree on UNDP").is_visible()
    assert claims.count() == 2
    texts = [claims.nth(i).inner_text() for i in range(2)]
    assert "Statement by the addressee" in texts[0] and "Implemented" in texts[0]
    assert "CSO monitoring" in texts[1] and "In progress" in texts[1]
    boxes = [claims.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]  # side by side
    assert page.locator("[data-testid=timeline-entry]").count() == 2
    screenshot(page, "tracking-contested")

    page.goto("/tracking/convenings/vienna-day/")

    page.locator("#status-title + figure + details > summary").click()
    status_row = page.locator("[data-testid=status-table] tr[data-status=in_progress] td")
    assert page.locator("h1").inner_text() == "Follow-up: Vienna Civil Society Day"
    assert status_row.inner_text() == "1"
    assert page.locator("svg#chart-status").is_visible()
    screenshot(page, "tracking-dashboard")


def test_staff_sees_a_clear_message_for_a_future_date(page, staff) -> None:
    recommendation = RecommendationFactory.create(convening=ConveningFactory.create(start_date=dt.date(2024, 5, 25)))
    recommendation.addressees.set([AddresseeFactory.create(name="OSCE", slug="osce")])
    browser_login(page, staff)
    page.goto(recommendation.get_absolute_url())
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()

    page.get_by_label("New status").select_option(label="Acknowledged")
    page.get_by_label("Date").fill(future)
    page.get_by_label("Public reason").fill("Too early")
    page.get_by_role("button", name="Record update").click()

    alert = page.get_by_role("alert")
    assert "Nothing was saved" in alert.inner_text()
    assert "is in the future" in alert.inner_text()
    screenshot(page, "tracking-future-date")
