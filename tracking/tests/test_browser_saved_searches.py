"""Alerts on a saved search in headless Chromium: saved from the filtered list, listed and removed
on "What you follow"; axe and screenshots at 1280 and 390 px."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from conftest import browser_login, screenshot, secretariat_group
from organizations.tests.factories import MembershipFactory
from recommendations.models import Theme
from recommendations.tests.test_browser_portal import axe_violations
from tracking.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(db: None) -> None:
    secretariat_group()
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("width", [1280, 390])
def test_a_member_saves_an_alert_from_the_list_and_removes_it(portal: None, page: Any, width: int) -> None:
    member = MembershipFactory.create(user__username="alerts").user
    theme = Theme.objects.filter(recommendations__isnull=False).order_by("name").first()
    assert theme is not None
    browser_login(page, member)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/recommendations/?theme={theme.slug}")

    with page.expect_navigation():
        page.get_by_role("button", name="Alert me on this search").click()
    saved = page.locator(".messages").inner_text()
    list_serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    screenshot(page, f"saved-search-list-{width}")
    page.goto("/tracking/following/")
    listed = page.locator("#searches-title + p + ul").inner_text()
    following_serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, f"saved-search-following-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Remove the alert on Theme: {theme.name}").click()

    assert "weekly digest" in saved
    assert f"Theme: {theme.name}" in listed
    assert list_serious == []
    assert following_serious == []
    assert overflow <= 0
    assert "The alert on this search is removed." in page.locator(".messages").inner_text()
    assert SavedSearch.objects.filter(user=member).count() == 0
