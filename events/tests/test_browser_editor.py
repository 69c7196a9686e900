"""The workspace in headless Chromium: the Vienna seed tagged with the bulk actions in a counted
number of actions, the inline form of one recommendation, a participant found and added, the
confirmation pages; axe and screenshots at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from conftest import browser_login, screenshot, totp_device_for, vienna_convening
from events.models import Convening, Participation
from organizations.tests.factories import OrganizationFactory, UserFactory
from recommendations.models import Recommendation
from recommendations.tests.factories import AddresseeFactory, ThemeFactory
from recommendations.tests.test_browser_portal import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = ("serious", "critical")


@pytest.fixture
def staff() -> User:
    # Not the conftest persona: transactional tests flush the Secretariat group; is_staff with a
    # verified second factor is what secretariat_required asks for.
    user = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(user)
    return user


@pytest.fixture
def vienna() -> Convening:
    convening = vienna_convening()  # imported by the importer's own service (conftest.py)
    for name in ("Capacity", "Youth", "Gender", "Legal and political space"):
        ThemeFactory.create(name=name, slug=name.lower().replace(" ", "-"))
    for name in ("Participating States", "OSCE executive structures", "Donors"):
        AddresseeFactory.create(name=name, slug=name.lower().replace(" ", "-"))
    return convening


def _serious(page: Any) -> list[dict[str, object]]:
    return [v for v in axe_violations(page) if v["impact"] in SERIOUS]


def test_tagging_the_vienna_recommendations_takes_ten_actions(page: Any, staff: User, vienna: Convening) -> None:
    browser_login(page, staff)
    page.goto(f"/secretariat/convenings/{vienna.slug}/edit/")
    actions = 0

    # Every recommendation gets a theme: apply to all, choose the change, apply.
    page.get_by_label("all recommendations of this convening").check()
    page.get_by_label("Themes and addressees").select_option(label="Add theme: Capacity")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply", exact=True).click()
    actions += 3
    assert "13 of 13 recommendations changed" in page.locator(".messages").inner_text()
    # Five of them get an addressee: tick five rows, choose, apply.
    for number in (1, 3, 5, 7, 9):
        page.get_by_label(f"Select R{number}", exact=True).check()
        actions += 1
    page.get_by_label("Themes and addressees").select_option(label="Add addressee: Participating States")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply", exact=True).click()
    actions += 2
    screenshot(page, "editor-vienna-tagged-1280")

    recommendations = Recommendation.objects.filter(convening=vienna)
    assert recommendations.count() == 13
    assert recommendations.filter(themes__name="Capacity").count() == 13
    assert sorted(recommendations.filter(addressees__name="Participating States").values_list("number", flat=True)) == [
        1,
        3,
        5,
        7,
        9,
    ]
    assert actions == 10
    assert _serious(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "editor-vienna-tagged-390")
    assert _serious(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_one_recommendation_is_edited_inline(page: Any, staff: User, vienna: Convening) -> None:
    browser_login(page, staff)
    page.goto(f"/secretariat/convenings/{vienna.slug}/edit/")

    page.get_by_role("link", name="Edit R2", exact=True).click()
    form = page.locator("tr#r2 form")
    form.wait_for()
    assert _serious(page) == []
    screenshot(page, "editor-inline-form-1280")
    form.get_by_label("Headline").fill("Capacity of civil society, sharpened")
    form.get_by_label("Youth").check()
    form.get_by_role("button", name="Save R2").click()
    page.locator("tr#r2.changed").wait_for()

    recommendation = Recommendation.objects.get(convening=vienna, number=2)
    assert recommendation.headline == "Capacity of civil society, sharpened"
    assert [t.name for t in recommendation.themes.all()] == ["Youth"]
    assert page.url.endswith("/edit/")  # htmx swapped the row; the page stayed


def test_a_participant_is_found_in_the_directory_and_added(page: Any, staff: User, vienna: Convening) -> None:
    OrganizationFactory.create(name="Lakeside Peace Initiative")
    browser_login(page, staff)
    page.goto(f"/secretariat/convenings/{vienna.slug}/edit/")

    page.get_by_label("Add a participant: find an organization in the directory").fill("lakeside")
    result = page.locator("#org-results li", has_text="Lakeside Peace Initiative")
    result.wait_for()
    result.get_by_role("button", name="Add Lakeside Peace Initiative").click()
    page.locator("#participants .confidential-marker").wait_for()
    screenshot(page, "editor-participants-1280")

    assert list(Participation.objects.values_list("organization__name", "visibility")) == [
        ("Lakeside Peace Initiative", "confidential")
    ]
    assert _serious(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_workspace_pages_pass_axe(page: Any, staff: User, vienna: Convening, width: int) -> None:
    browser_login(page, staff)
    page.set_viewport_size({"width": width, "height": 900})
    pages = {
        "worklist": "/secretariat/",
        "editor": f"/secretariat/convenings/{vienna.slug}/edit/",
        "edit-without-js": f"/secretariat/convenings/{vienna.slug}/edit/r/1/edit/",
        "publish-confirm": f"/secretariat/convenings/{vienna.slug}/state/publish/",
        "archive-confirm": f"/secretariat/convenings/{vienna.slug}/state/archive/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(path)
        screenshot(page, f"workspace-{name}-{width}")
        found[name] = _serious(page)

    assert found == {name: [] for name in pages}
