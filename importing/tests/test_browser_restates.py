"""The import preview's "this looks like …/R3 — restates?" in Chromium, at 1280 and 390 px: axe
finds nothing serious or critical, nothing overflows; ticked and confirmed, the link is made."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from conftest import browser_login, screenshot, totp_device_for, vienna_convening
from importing.tests.test_restates import RESTATING
from organizations.tests.factories import UserFactory
from recommendations.models import RecommendationLink
from recommendations.tests.test_browser_portal import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff() -> User:
    # As importing/tests/test_browser.py: transactional tests flush the Secretariat group.
    user = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(user)
    return user


@pytest.mark.parametrize("width", [1280, 390])
def test_the_restatement_candidate_shows_is_accessible_and_confirms(page: Any, staff: User, width: int) -> None:
    original = vienna_convening().recommendations.get(number=3)
    browser_login(page, staff)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/secretariat/import/")
    page.get_by_label("Paste the summary (plain text or Markdown)").fill(RESTATING)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("networkidle")
    candidate = page.locator(f'[data-restates="{original.reference}"]')
    candidate.scroll_into_view_if_needed()
    screenshot(page, f"import-preview-restates-{width}")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]

    candidate.get_by_label(f"Yes, it restates {original.reference}").check()
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state("networkidle")

    assert (overflow <= 0, serious) == (True, []), json.dumps(serious, indent=2)
    assert list(RecommendationLink.objects.values_list("to_recommendation_id", flat=True)) == [original.pk]
