"""The donor's stalled view and endorsing from the results list, in headless Chromium: axe and
screenshots at 1280 and 390 px."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from conftest import browser_login, screenshot, secretariat_group
from organizations.tests.factories import MembershipFactory
from recommendations.models import Endorsement
from recommendations.tests.test_browser_portal import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(db: None) -> None:
    secretariat_group()
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("width", [1280, 390])
def test_stalled_view_passes_axe(portal: None, page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/tracking/stalled/?months=1")
    screenshot(page, f"stalled-{width}")

    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_a_member_endorses_from_the_results_list(portal: None, page: Any) -> None:
    member = MembershipFactory.create(user__username="lister", user__first_name="Noor", user__last_name="Haddad").user
    browser_login(page, member)
    page.goto("/recommendations/")

    card = page.locator(".rec-list > li").first
    card.locator("summary", has_text="Endorse").click()
    assert card.get_by_label("Signatory's name").input_value() == "Noor Haddad"
    card.get_by_label("Signatory's title").fill("Coordinator")
    card.get_by_label("I am authorised to act on behalf of my organization").check()
    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "list-quick-endorse-1280")
    with page.expect_navigation():
        card.get_by_role("button", name="Endorse").click()

    assert "/recommendations/" in page.url
    assert list(Endorsement.objects.filter(endorsed_by=member).values_list("signatory_name", "signatory_title")) == [
        ("Noor Haddad", "Coordinator")
    ]
