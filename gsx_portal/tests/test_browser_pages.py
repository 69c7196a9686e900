"""In Chromium: the pages run under their CSP without a single violation, and fit a 390 px phone.

A violation is caught by a listener the browser installs before any page script runs (an init
script goes through the DevTools protocol, so the CSP does not apply to it).
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from conftest import browser_login, screenshot, secretariat_group, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
PUBLIC = ["/", "/convenings/csd-2025-geneva/", "/recommendations/?q=youth", "/convenings/csd-2025-geneva/r/2/"]
PUBLIC += ["/tracking/", "/accounts/signup/", "/organizations/", "/letters/"]
STAFF = ["/secretariat/", "/admin/", "/admin/events/convening/", "/tracking/", "/convenings/csd-2025-geneva/r/2/"]
# The secretariat's view of the demo convening, and the admin's nested change form.
STAFF += ["/secretariat/convenings/csd-2025-geneva/"]


@pytest.fixture
def portal(db: None) -> None:
    secretariat_group()
    call_command("load_demo", stdout=io.StringIO())
    # Staff pass a second factor: with a device, browser_login's session is verified.
    totp_device_for(User.objects.get(username="secretariat"))


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return list(page.evaluate("() => window.__csp"))


def test_public_pages_run_without_a_csp_violation(portal, page) -> None:
    page.add_init_script(RECORD_VIOLATIONS)

    found = {url: _violations(page, url) for url in PUBLIC}

    assert {url: v for url, v in found.items() if v} == {}


def test_staff_pages_and_the_admin_run_without_a_csp_violation(portal, page) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    browser_login(page, User.objects.get(username="secretariat"))

    found = {url: _violations(page, url) for url in STAFF}
    page.goto("/admin/events/convening/")
    page.locator("#result_list tbody a").first.click()
    page.wait_for_load_state("networkidle")
    # nested-admin's "add another" works under the CSP (its script, not an inline handler).
    before = page.locator(".djn-item").count()
    page.locator(".djn-add-handler").first.click()
    after = page.locator(".djn-item").count()

    assert {url: v for url, v in found.items() if v} == {}
    assert page.evaluate("() => window.__csp") == []
    assert after == before + 1


@pytest.mark.parametrize(
    ("path", "user"),
    [
        ("/tracking/", None),
        ("/tracking/", "secretariat"),
        ("/secretariat/", "secretariat"),
        ("/convenings/csd-2025-geneva/r/2/", "secretariat"),
    ],
)
def test_pages_fit_a_390_px_phone(portal, page, path: str, user: str | None) -> None:
    if user:
        browser_login(page, User.objects.get(username=user))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    page.wait_for_load_state("networkidle")

    name = f"phone-390{path.strip('/').replace('/', '-') or '-home'}-{user or 'anonymous'}"
    shot = screenshot(page, name)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    # Wide tables scroll inside their own box, never the page, and are never clipped unseen.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(t => {
            const box = t.getBoundingClientRect();
            const scroller = t.closest('.table-scroll');
            return box.right > window.innerWidth + 1 && !scroller;
        }).map(t => t.className || t.id || 'table')"""
    )

    assert width <= 390, f"{path} is {width} px wide"
    assert clipped == []
    assert shot.exists()


@pytest.mark.parametrize(
    ("path", "user"), [("/accounts/signup/", None), ("/secretariat/convenings/csd-2025-geneva/", "secretariat")]
)
def test_signup_and_the_secretariat_convening_page_pass_axe(portal, page, path: str, user: str | None) -> None:
    from recommendations.tests.test_browser_portal import axe_violations

    if user:
        browser_login(page, User.objects.get(username=user))
    page.goto(path)
    page.wait_for_load_state("networkidle")

    violations = axe_violations(page)

    named = [v for v in violations if v["id"] in ("heading-order", "label-content-name-mismatch")]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert named == []
    assert serious == []
