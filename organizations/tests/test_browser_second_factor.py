"""Staff log in in a real browser: password, then a TOTP code computed from the device's key."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import screenshot, totp_code, totp_device_for
from organizations.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_log_in_with_a_totp_code_and_are_refused_without_it(page: Any) -> None:
    # Not the secretariat fixture: transactional tests flush the group its data migration made.
    staff = UserFactory.create(username="officer@gsx.example", is_staff=True)
    device = totp_device_for(staff)

    page.goto("/accounts/login/?next=/secretariat/import/")
    page.get_by_label("E-mail address or username").fill("officer@gsx.example")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/second-factor/**")
    refused = [page.goto(path) for path in ("/admin/", "/secretariat/import/")]
    refused_at = page.url
    screenshot(page, "second-factor-verify")
    page.get_by_label("Code", exact=True).fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/secretariat/import/")
    admin = page.goto("/admin/")

    assert all(
        response is not None and response.url.split("?")[0].endswith("/accounts/second-factor/") for response in refused
    )
    assert "/accounts/second-factor/" in refused_at
    assert admin is not None and admin.status == 200 and page.url.endswith("/admin/")
    assert "Site administration" in page.content()
