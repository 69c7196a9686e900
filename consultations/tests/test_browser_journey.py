"""In a real browser, the New York roundtable's letter through the whole cycle: drafted from a
recommendation, circulated for inputs, two inputs (one a rewording) resolved with e-mails to their
authors, opened for signature, three signatures (one counted but not named), closed, sent, and the
public page with its signatories, versions and dates. Screenshots at 1280 and 390 px; axe on
every new page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import browser_login, roundtable_convening, screenshot, totp_device_for
from consultations.models import Input
from gsx_portal.clock import portal_today
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory, UserFactory
from recommendations.models import Endorsement, Letter
from recommendations.tests.factories import AddresseeFactory
from recommendations.tests.test_browser_portal import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser: Any, live_server: Any, user: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.gsx_base_url = live_server.url
    if user is not None:
        browser_login(page, user)
    return page


def both_widths(page: Any, name: str, browser: Any, live_server: Any, user: Any) -> None:
    screenshot(page, f"{name}-1280")
    narrow = new_page(browser, live_server, user, width=390)
    narrow.goto(page.url)
    screenshot(narrow, f"{name}-390")
    # Nothing wider than the phone: the secretariat's moderation forms once pushed this page 7 px out.
    overflow = narrow.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow} px wider than 390"
    narrow.context.close()


def move(page: Any, state: str, reason: str) -> Any:
    """Fill the reason of the workflow form that moves the letter to ``state``; returns the form."""
    button = page.get_by_role("button", name=f"Move to “{state}”")
    form = page.locator("form", has=button)
    form.get_by_label("Reason").fill(reason)
    return form


def assert_axe_clean(page: Any) -> None:
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_new_york_letter_goes_from_proposal_to_sent(browser: Any, live_server: Any, mailoutbox: list[Any]) -> None:
    staff = UserFactory.create(username="staff", is_staff=True)
    totp_device_for(staff)
    # The import preview's letter proposal, accepted: a candidate recommendation with four sub-items.
    convening = roundtable_convening(with_letter_proposal=True)
    AddresseeFactory.create(name="UN Secretary-General", slug="un-secretary-general")
    proposal = convening.recommendations.get(sub_items__letter="d")
    sub_items = list(proposal.sub_items.order_by("letter").values_list("text", flat=True))
    assert len(sub_items) == 4
    # The rewording replaces the first three words of sub-item b, read from the text at test time.
    passage = " ".join(sub_items[1].split()[:3])
    amina, jonas, ines = (
        MembershipFactory.create(
            user__username=name,
            user__first_name=name.title(),
            user__last_name="Member",
            organization__name=org,
            organization__slug=org.lower().replace(" ", "-"),
        ).user
        for name, org in [
            ("amina", "Coastal Peace Forum"),
            ("jonas", "Quiet Harbour Network"),
            ("ines", "Hill Youth Union"),
        ]
    )

    # 1. The secretariat drafts the letter from the proposal.
    secretariat = new_page(browser, live_server, staff)
    secretariat.goto(proposal.get_absolute_url())
    secretariat.get_by_role("link", name="Write a letter from this recommendation").click()
    assert sub_items[0] in secretariat.get_by_label("Text").input_value()
    secretariat.get_by_label("Title").fill("Letter to the UN Secretary-General")
    secretariat.get_by_label("Addressee").select_option(label="UN Secretary-General")
    closes = portal_today() + dt.timedelta(days=5)
    secretariat.get_by_label("Signatures close on").fill(closes.isoformat())
    assert_axe_clean(secretariat)
    both_widths(secretariat, "journey-1-letter-form", browser, live_server, staff)
    secretariat.get_by_role("button", name="Save the draft letter").click()
    letter = Letter.objects.get()
    assert (letter.state, str(letter.addressee)) == ("draft", "UN Secretary-General")

    # 2. It circulates for inputs.
    move(secretariat, "Circulating for inputs", "Ready for the network's inputs").get_by_role("button").click()
    assert "The letter is now “Circulating for inputs”." in secretariat.content()

    # 3. Two members leave an input each; one proposes a rewording of a passage.
    first = new_page(browser, live_server, amina)
    first.goto("/")
    # The menu's counts arrive after the page (portal.js).
    first.locator("#nav-count-inputs", has_text="1").wait_for()
    assert first.locator("#nav-count-signature").inner_text() == "0"
    first.get_by_role("link", name="Open for inputs").click()
    assert_axe_clean(first)
    first.get_by_role("link", name="Letter to the UN Secretary-General").click()
    assert_axe_clean(first)
    first.locator("summary", has_text="Leave an input on").first.click()
    first.get_by_label("Your comment").first.fill("Please name the regional bodies too.")
    first.get_by_role("button", name="Send to the secretariat").first.click()
    assert "Your input is with the secretariat." in first.content()

    second = new_page(browser, live_server, jonas)
    second.goto(Letter.objects.get().consultations.get().get_absolute_url())
    assert "Please name the regional bodies too." not in second.content()  # not shared
    second.locator("summary", has_text="Leave an input on").first.click()
    second.get_by_label("Proposed rewording").first.check()
    second.get_by_label("Passage (optional)").first.fill(passage)
    second.get_by_label("Proposed wording").first.fill("while plans are still drafts")
    second.get_by_role("button", name="Send to the secretariat").first.click()
    assert "Your input is with the secretariat." in second.content()
    both_widths(second, "journey-2-input-left", browser, live_server, jonas)

    # 4. The secretariat declines one with a reason and accepts the rewording (a new version).
    comment, rewording = Input.objects.order_by("pk")
    secretariat.goto("/secretariat/inputs/")
    assert secretariat.locator(".input").count() == 2
    assert_axe_clean(secretariat)
    secretariat.goto(comment.consultation.get_absolute_url())
    assert_axe_clean(secretariat)
    both_widths(secretariat, "journey-3-inputs-for-the-secretariat", browser, live_server, staff)
    box = secretariat.locator(f"#input-{comment.pk}")
    box.get_by_label("Resolution").select_option("declined")
    box.locator("form", has=secretariat.get_by_role("button", name="Resolve")).get_by_label("Reason").fill(
        "The letter is to the UN only"
    )
    box.get_by_role("button", name="Resolve").click()
    box = secretariat.locator(f"#input-{rewording.pk}")
    box.get_by_label("Resolution").select_option("accepted")
    box.get_by_role("button", name="Resolve").click()
    assert "its author is told by e-mail" in secretariat.content()
    assert sorted(m.to[0] for m in mailoutbox) == [amina.email, jonas.email]
    assert "The letter is to the UN only" in next(m.body for m in mailoutbox if m.to == [amina.email])
    letter.refresh_from_db()
    assert "while plans are still drafts" in letter.body
    secretariat.goto(f"{comment.consultation.get_absolute_url()}compare/?part=letter")
    assert secretariat.locator("ins", has_text="still drafts").count() == 1
    assert_axe_clean(secretariat)

    # 5. Open for signature; three organizations sign, one counted but not named.
    secretariat.goto(letter.get_absolute_url())
    move(secretariat, "Open for signature", "Inputs are in").get_by_role("button").click()
    assert "The letter is now “Open for signature”." in secretariat.content()
    for page, named in ((first, True), (second, False), (new_page(browser, live_server, ines), True)):
        page.goto("/")
        page.get_by_role("link", name="Open for signature").click()
        if named:
            assert_axe_clean(page)
        page.get_by_role("link", name="Letter to the UN Secretary-General").click()
        if not named:
            page.get_by_label("Counted but not named").check()
        page.get_by_label("I am authorised").check()
        page.get_by_role("button", name="Sign the letter").click()
        assert "signed this letter" in page.content()
    assert Endorsement.objects.filter(letter=letter).count() == 3

    # 6. Closed, then marked sent.
    secretariat.goto(letter.get_absolute_url())
    move(secretariat, "Closed", "The window is over").get_by_role("button").click()
    form = move(secretariat, "Sent", "Handed over in New York")
    form.get_by_label("Date sent").fill(portal_today().isoformat())
    form.get_by_label("Sent to").fill("Executive Office of the Secretary-General")
    form.get_by_role("button", name="Move to “Sent”").click()
    letter.refresh_from_db()
    assert (letter.state, letter.sent_to) == ("sent", "Executive Office of the Secretary-General")

    # 7. The public page: signatories (the hidden one only counted), versions and dates.
    public = new_page(browser, live_server, None)
    public.goto(letter.get_absolute_url())
    text = public.content()
    assert "Signed by 3 organizations, 1 of them not named." in text
    assert "Coastal Peace Forum" in text and "Hill Youth Union" in text
    assert "Quiet Harbour Network" not in text
    assert "Version 2" in text
    assert "Executive Office of the Secretary-General" in text
    assert "Please name the regional bodies too." not in text
    assert_axe_clean(public)
    both_widths(public, "journey-4-public-letter", browser, live_server, None)
    public.get_by_role("link", name="changes since version 1").click()
    assert public.locator("ins", has_text="still drafts").count() == 1
    assert_axe_clean(public)
    assert Membership.objects.count() == 3
