"""The secretariat's journey in a real browser: the printed PDF they have → a published convening.

Every step a person takes is counted (a page opened by address, a field filled, a file chosen,
a button clicked); waiting for the page is not a step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import ROUNDTABLE, VIENNA, browser_login, screenshot, seed_text, totp_code, totp_device_for
from events.models import Convening, Participation
from importing.tests.corpus import printed_pdf
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory, UserFactory
from recommendations.models import Addressee, Theme
from recommendations.tests.test_browser_portal import axe_violations
from recommendations.vocabulary import install_vocabulary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY_ACTIONS = 15


class Steps:
    """The page, with each thing a person does counted."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def goto(self, path: str) -> None:
        self.count += 1
        self.page.goto(path)

    def fill(self, label: str, value: str, **kwargs: Any) -> None:
        self.count += 1
        self.page.get_by_label(label, **kwargs).fill(value)

    def choose_file(self, label: str, path: Path) -> None:
        self.count += 1
        self.page.get_by_label(label).set_input_files(str(path))

    def follow(self, name: str) -> None:
        self.count += 1
        self.page.get_by_role("link", name=name, exact=True).first.click()

    def click(self, name: str) -> None:
        self.count += 1
        # The first of its name: "Accept all suggestions" stands above the details and below them.
        self.page.get_by_role("button", name=name, exact=True).first.click()


def _serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_printed_pdf_to_published_convening_in_at_most_15_actions(page: Any, tmp_path: Path) -> None:
    # A transactional test before this one may have flushed what the data migration installed.
    install_vocabulary(Theme, Addressee)
    staff = UserFactory.create(username="officer@gsx.example", is_staff=True)
    device = totp_device_for(staff)
    OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")
    pdf = tmp_path / "vienna-summary.pdf"
    pdf.write_bytes(printed_pdf(seed_text(VIENNA)))
    steps = Steps(page)
    # Reading an 11-page PDF and creating a 13-recommendation draft take seconds, many more on
    # a machine shared with other test runs: room for that, not a hang.
    page.set_default_timeout(90_000)

    steps.goto("/accounts/login/?next=/secretariat/import/")
    steps.fill("E-mail address or username", "officer@gsx.example")
    steps.fill("Password", "correct horse battery staple")
    steps.click("Log in")
    steps.fill("Code", totp_code(device), exact=True)
    steps.click("Continue")
    steps.choose_file("…or upload a file", pdf)
    steps.click("Preview")
    page.get_by_role("heading", name="Suggestions").wait_for()
    preview_violations = axe_violations(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"journey-preview-{width}")
    phone_width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    steps.click("Accept all suggestions and create the draft")
    page.get_by_role("button", name="Publish", exact=True).wait_for()
    convening = Convening.objects.get()
    draft: dict[str, Any] = {
        "recommendations": convening.recommendations.count(),
        "with_themes": convening.recommendations.filter(themes__isnull=False).distinct().count(),
        "with_addressees": convening.recommendations.filter(addressees__isnull=False).distinct().count(),
        "convenors": list(
            convening.participations.filter(role=Participation.Role.CONVENOR).values_list(
                "organization__slug", "visibility"
            )
        ),
    }
    screenshot(page, "journey-draft-1280")
    steps.click("Publish")
    page.locator(".messages").wait_for()
    screenshot(page, "journey-published-1280")
    steps.follow("Public page")
    page.get_by_role("heading", name="Recommendations").first.wait_for()
    public, public_html = page.locator("body").inner_text(), page.content()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"journey-public-page-{width}")

    convening.refresh_from_db()
    assert steps.count <= JOURNEY_ACTIONS, f"{steps.count} actions"
    assert convening.status == Convening.Status.PUBLISHED
    assert draft["recommendations"] == 13
    assert draft["with_themes"] >= 10, draft
    assert draft["with_addressees"] >= 5, draft
    assert draft["convenors"] == [("prevention-project", Participation.Visibility.CONFIDENTIAL)]
    assert Organization.objects.filter(slug="prevention-project").count() == 1
    # Recorded confidential, the convenor is named to the secretariat, on the published page as in
    # the draft, and to no one else.
    anonymous = Client().get(convening.get_absolute_url()).content.decode()
    profile = Organization.objects.get(slug="prevention-project").get_absolute_url()
    assert f'href="{profile}"' in public_html
    assert "Convened by" not in anonymous and f'href="{profile}"' not in anonymous
    assert "Youth" in public
    assert phone_width <= 390
    assert _serious(preview_violations) == []


def test_new_york_preview_offers_the_proposals_at_both_widths(page: Any) -> None:
    staff = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(staff)
    browser_login(page, staff)
    page.goto("/secretariat/import/")
    page.get_by_label("Paste the summary (plain text or Markdown)").fill(seed_text(ROUNDTABLE))
    page.get_by_role("button", name="Preview").click()
    section = page.locator("#suggest-proposals")
    section.wait_for()

    ticked = section.locator("input[name='s-proposals']:checked").count()
    section.get_by_role("button", name="None").click()
    page.wait_for_function("() => !document.querySelector(\"#suggest-proposals input[name='s-proposals']:checked\")")
    after_none = section.locator("input[name='s-proposals']:checked").count()
    section.get_by_role("button", name="Accept all").click()
    page.wait_for_function(
        "() => document.querySelectorAll(\"#suggest-proposals input[name='s-proposals']:checked\").length > 4"
    )
    after_all = section.locator("input[name='s-proposals']:checked").count()
    violations = axe_violations(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"suggestions-new-york-{width}")
    phone_width = page.evaluate("() => document.documentElement.scrollWidth")

    assert (ticked, after_none, after_all) == (4, 0, 10)
    assert page.url.endswith("/secretariat/import/confirm/") is False  # htmx swapped the section only
    assert phone_width <= 390
    assert _serious(violations) == []
