"""The secretariat's letter editor in headless Chromium: axe and screenshots at 1280 and 390 px,
and a saved change that becomes a version of the circulating letter."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from conftest import browser_login, screenshot
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory, RecommendationFactory
from recommendations.tests.test_browser_portal import axe_violations
from recommendations.version_selectors import text_versions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_secretariat_edits_a_circulating_letter(page: Any, secretariat: User, width: int) -> None:
    recommendation = RecommendationFactory.create(headline="Fund local organizations for the long term")
    letter = LetterFactory.create(
        state=Letter.State.OPEN_FOR_INPUTS, body="We ask you to fund civil society.", convening=recommendation.convening
    )
    letter.recommendations.set([recommendation])
    browser_login(page, secretariat)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(letter.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Edit the letter's text").click()

    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, f"letter-edit-{width}")
    page.get_by_label("Text").fill("We ask donors to fund civil society for the long term.")
    page.get_by_label("Reason for the change").fill("Input from Riverbank")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the letter").click()

    assert serious == []
    assert overflow <= 0
    assert "The letter is saved." in page.locator(".messages").inner_text()
    assert [v.reason for v in text_versions(letter, "body")] == ["", "Input from Riverbank"]
