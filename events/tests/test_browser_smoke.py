from __future__ import annotations

import pytest

from conftest import screenshot
from events.tests.factories import ConveningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_lists_published_convening_in_browser(page) -> None:
    convening = ConveningFactory.create(title="Civil Society Day on Trust")

    page.goto("/")
    page.get_by_role("link", name="Civil Society Day on Trust").click()

    assert page.url.endswith(convening.get_absolute_url())
    assert page.locator("h1").inner_text() == "Civil Society Day on Trust"
    assert screenshot(page, "smoke-convening").exists()
