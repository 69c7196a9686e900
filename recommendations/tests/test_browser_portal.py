"""The public portal in headless Chromium: search, filters, history, languages, downloads,
keyboard use, accessibility (axe-core) and screenshots at phone and desktop widths."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import ROOT, screenshot, secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CONVENING = "/convenings/csd-2025-geneva/"
RECOMMENDATION = "/convenings/csd-2025-geneva/r/2/"
PAGES = {
    "home": "/",
    "convening": CONVENING,
    "list": "/recommendations/?q=youth",
    "recommendation": RECOMMENDATION,
    "recurring": "/recommendations/recurring/",
}
# Checkbox groups (theme, addressee, status, region) number their boxes: f-theme-1, f-theme-2 ...
FILTER_IDS = [
    "f-q",
    "f-theme",
    "f-addressee",
    "f-status",
    "f-region",
    "f-year_from",
    "f-year_to",
    "f-country",
    "f-convening",
    "f-endorsed_by",
]


def filter_of(element_id: str) -> str:
    return next((name for name in FILTER_IDS if element_id == name or element_id.startswith(name + "-")), "")


@pytest.fixture
def portal(db: None) -> None:
    """The demo convening, with its recorded statuses and endorsements (one not named)."""
    # A transactional test starts from an empty database, without the data migration's group.
    secretariat_group()
    call_command("load_demo", stdout=io.StringIO())
    # One recurring ask, so the recommendation page and "Recurring asks" show a chain.
    from recommendations.models import Recommendation, RecommendationLink

    first, *others = Recommendation.objects.published().order_by("convening__start_date", "number")[:2]
    for later in others:
        RecommendationLink.objects.create(from_recommendation=later, to_recommendation=first, kind="restates")


def wait_for_query(page, part: str) -> None:
    """htmx updates the address with pushState, which fires no load event to wait for."""
    page.wait_for_function("part => location.search.includes(part)", arg=part)
    page.wait_for_load_state("networkidle")


def axe_violations(page) -> list[dict[str, object]]:
    if not AXE.exists():
        if os.environ.get("CI") or os.environ.get("GSX_REQUIRE_SERVICES") == "1":
            pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed: run `npm ci`")
    # Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP
    # allows no inline script, and the audit must see the pages as they really are.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return list(violations)


def test_search_filter_open_a_recommendation_and_back_keeps_the_filters(portal, page) -> None:
    page.goto("/recommendations/")
    page.fill("#f-q", "young")
    page.press("#f-q", "Enter")
    wait_for_query(page, "q=young")
    page.check("#f-status input[value=submitted]")
    wait_for_query(page, "status=submitted")
    results = page.locator(".rec-list .rec-card-title a")
    results.first.wait_for()
    assert results.count() == 1

    results.first.click()
    page.wait_for_url(f"**{RECOMMENDATION}")
    assert page.locator("h1").inner_text() == "Young people as co-designers"
    page.go_back()
    page.wait_for_url("**/recommendations/?*")

    assert "q=young" in page.url and "status=submitted" in page.url
    assert page.input_value("#f-q") == "young"
    assert page.is_checked("#f-status input[value=submitted]")
    assert "=&" not in page.url and not page.url.endswith("=")  # no empty parameter in the address
    assert page.locator(".rec-list .rec-card-title a").count() == 1


def test_filters_work_without_javascript(portal, browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/recommendations/")

    page.check("#f-theme input[value=youth]")
    page.click("#filters button.secondary")
    page.wait_for_url("**theme=youth*")

    # The server sent the submission on to its clean address: no empty field, no default.
    assert page.url.endswith("/recommendations/?theme=youth")
    assert page.locator(".rec-list .rec-card-title a").all_inner_texts() == ["Young people as co-designers"]
    context.close()


def test_language_switcher_keeps_the_page(portal, page) -> None:
    page.goto(CONVENING + "?x=1")

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    french = (page.url, page.get_attribute("html", "lang"), page.locator(".main-nav").inner_text())
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    russian = (page.url, page.get_attribute("html", "lang"), page.locator(".main-nav").inner_text())

    assert french[0].endswith(CONVENING + "?x=1") and french[1] == "fr" and "Recommandations" in french[2]
    assert russian[0].endswith(CONVENING + "?x=1") and russian[1] == "ru" and "Рекомендации" in russian[2]
    assert screenshot(page, "portal-convening-ru-1280").exists()


def test_csv_download_of_a_filtered_list(portal, page, tmp_path: Path) -> None:
    page.goto("/recommendations/?theme=capacity")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = tmp_path / "export.csv"
    download_info.value.save_as(path)

    lines = io.StringIO(path.read_text(encoding="utf-8-sig")).readlines()
    comments = [line for line in lines if line.startswith("# ")]
    rows = list(csv.reader(line for line in lines if not line.startswith("# ")))
    assert download_info.value.suggested_filename.endswith(".csv")
    assert "# Filters: Theme: capacity\n" in comments  # the header comment names the filter
    assert rows[0][:2] == ["Reference", "Permalink"]
    assert sorted(row[0] for row in rows[1:]) == ["CSD-2025-GVA/R1", "CSD-2025-GVA/R9"]


def test_keyboard_alone_reaches_every_filter(portal, page) -> None:
    page.goto("/recommendations/")
    reached: list[str] = []

    for _ in range(150):
        page.keyboard.press("Tab")
        reached.append(filter_of(page.evaluate("() => document.activeElement.id")))
        if set(FILTER_IDS) <= set(reached):
            break
    page.keyboard.press("ArrowDown")  # a focused select changes with the keyboard too

    assert [element for element in FILTER_IDS if element not in reached] == []
    assert reached.index("f-q") < reached.index("f-theme") < reached.index("f-endorsed_by")


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(portal, page) -> None:
    page.goto("/")

    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")

    assert first == "Skip to content"
    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_portal_pages_are_accessible_and_fit_the_screen(portal, page, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PAGES[name])
    page.wait_for_load_state("networkidle")

    shot = screenshot(page, f"portal-{name}-{width}")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    violations = axe_violations(page)

    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=2)
    assert overflow <= 0
    assert shot.exists()


def test_copy_button_copies_the_reference(portal, browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(RECOMMENDATION)

    page.get_by_role("button", name="Copy the reference").click()
    page.wait_for_selector(".copy-status:has-text('Reference copied')")
    copied = page.evaluate(
        "() => navigator.clipboard.readText().catch(() => document.querySelector('#cite-ref').value)"
    )

    assert copied == "CSD-2025-GVA/R2"
    context.close()
