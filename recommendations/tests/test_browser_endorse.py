"""In a real browser: sign up, have the organization verified, endorse, withdraw, sign a letter."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import browser_login, screenshot, totp_device_for
from organizations.models import Organization
from organizations.tests.factories import UserFactory
from recommendations.models import Endorsement
from recommendations.tests.factories import LetterFactory, RecommendationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_endorse_withdraw_and_sign_a_letter(
    page: Any, browser: Any, live_server: Any, mailoutbox: list[Any]
) -> None:
    # Not the secretariat fixture: its group comes from a data migration, which transactional
    # tests run before this one may have flushed. Being staff is what makes the secretariat.
    secretariat = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(secretariat)
    recommendation = RecommendationFactory.create(headline="Fund the core, not only the project")
    letter = LetterFactory.create(title="Letter to the Secretary-General")

    # Sign up, asking for a new organization.
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.get_by_label("First name").fill("Amina")
    page.get_by_label("Last name").fill("Diallo")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase 42")
    page.get_by_label("Password again").fill("a long and unusual passphrase 42")
    page.get_by_label("Register a new organization").check()
    page.get_by_label("Your job title").fill("Director")
    page.get_by_label("Name of the organization").fill("Coastal Peace Forum")
    page.get_by_label("Kind").select_option("cso")
    page.get_by_label("Country").fill("Senegal")
    screenshot(page, "endorse-1-signup")
    page.get_by_role("button", name="Sign up").click()
    assert page.locator("h1").inner_text() == "Check your e-mail"

    # Confirm the address from the e-mail: the link shows a button, the button logs in.
    match = re.search(r"/accounts/confirm/\S+/", mailoutbox[-1].body)
    assert match
    page.goto(match.group(0))
    page.get_by_role("button", name="Confirm and log in").click()
    assert page.locator("h1").inner_text() == "Coastal Peace Forum"
    assert "has not verified this organization yet" in page.content()

    # Not verified yet: the recommendation offers no endorsement form.
    page.goto(recommendation.get_absolute_url())
    assert page.get_by_role("button", name="Endorse").count() == 0

    # The secretariat verifies the organization.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    staff_page = staff.new_page()
    staff_page.goto("/")
    browser_login(staff_page, secretariat)
    staff_page.goto("/secretariat/organizations/")
    screenshot(staff_page, "endorse-2-verify")
    staff_page.get_by_role("button", name="Verify Coastal Peace Forum").click()
    assert "Coastal Peace Forum is verified." in staff_page.content()
    staff.close()
    assert Organization.objects.get(name="Coastal Peace Forum").is_verified

    # Endorse with the attestation: the count goes up.
    page.goto(recommendation.get_absolute_url())
    panel = page.locator("#endorsements")
    assert panel.locator(".endorsement-count").inner_text() == "No organization has endorsed this yet."
    assert panel.get_by_label("Signatory's name").input_value() == "Amina Diallo"
    panel.get_by_label("Signatory's title").fill("Director")
    panel.get_by_label("Comment (optional)").fill("Core funding is what lets us plan.")
    panel.get_by_role("button", name="Endorse").click()
    assert "Confirm that you are authorised" in page.content()  # the attestation is required
    assert Endorsement.objects.count() == 0
    page.get_by_label("I am authorised to endorse on behalf of Coastal Peace Forum").check()
    page.get_by_role("button", name="Endorse").click()
    panel = page.locator("#endorsements")
    assert panel.locator(".endorsement-count").inner_text() == "Endorsed by 1 organization."
    assert "Coastal Peace Forum endorses this recommendation." in page.content()
    screenshot(page, "endorse-3-endorsed")

    # Withdraw: the count goes down, the record stays.
    panel.get_by_role("button", name="Withdraw our endorsement").click()
    assert page.locator("#endorsements .endorsement-count").inner_text() == "No organization has endorsed this yet."
    assert Endorsement.objects.get().withdrawn_at is not None

    # Sign the letter, counted but not named.
    page.goto(letter.get_absolute_url())
    signatures = page.locator("#signatures")
    signatures.get_by_label("Counted but not named").check()
    signatures.get_by_label("I am authorised to sign on behalf of Coastal Peace Forum").check()
    signatures.get_by_role("button", name="Sign the letter").click()
    assert page.locator("#signatures .endorsement-count").inner_text() == "Signed by 1 organization, not named."
    screenshot(page, "endorse-4-letter-signed")
    assert Endorsement.objects.active().get().letter == letter
