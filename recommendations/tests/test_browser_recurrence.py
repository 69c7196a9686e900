"""The secretariat's recurrence screen and "Recurring asks" in Chromium: axe finds nothing serious
or critical, nothing overflows, and screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from conftest import browser_login, screenshot, secretariat_group, totp_device_for
from recommendations.tests.test_browser_portal import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "skopje-2026-recurrence"


@pytest.fixture
def recurring(db: None) -> None:
    """The demo, and a later convening (a draft) that asks two of its recommendations again."""
    from events.tests.factories import ConveningFactory
    from recommendations.models import Recommendation, RecommendationLink
    from recommendations.services import recurrence_suggestions_compute
    from recommendations.tests.factories import RecommendationFactory

    secretariat_group()
    call_command("load_demo", stdout=io.StringIO())
    totp_device_for(User.objects.get(username="secretariat"))
    originals = list(Recommendation.objects.published().order_by("convening__start_date", "number")[:3])
    later = ConveningFactory.create(slug=SLUG, code="CSD-2026-SKP", start_date=dt.date(2026, 6, 1), status="draft")
    for number, original in enumerate(originals, start=1):
        RecommendationFactory.create(convening=later, number=number, headline=original.headline, body=original.body)
    recurrence_suggestions_compute(convening_id=later.pk)
    RecommendationLink.objects.create(from_recommendation=originals[1], to_recommendation=originals[0], kind="restates")


def _check(page, url: str, name: str, width: int) -> list[dict[str, object]]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert screenshot(page, f"{name}-{width}").exists()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    return [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_secretariat_recurrence_screen_is_accessible_and_fits(recurring, page, width: int) -> None:
    browser_login(page, User.objects.get(username="secretariat"))

    serious = _check(page, f"/secretariat/convenings/{SLUG}/recurrence/", "secretariat-recurrence", width)

    assert page.locator("text=Confirm").count() >= 1
    assert serious == [], json.dumps(serious, indent=2)


@pytest.mark.parametrize("width", [1280, 390])
def test_recurring_asks_is_accessible_and_fits(recurring, page, width: int) -> None:
    serious = _check(page, "/recommendations/recurring/", "recurring-asks", width)

    assert page.locator("main").inner_text().count("Asked 2 times") >= 1
    assert serious == [], json.dumps(serious, indent=2)
