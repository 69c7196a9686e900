"""In Chromium: the API's Swagger UI draws every operation under the site's strict CSP, with
nothing fetched from another origin."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from conftest import screenshot, secretariat_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_api_docs_render_every_operation_without_a_csp_violation(page: Any, live_server: Any, width: int) -> None:
    secretariat_group()  # a transactional test's flush removes it; the demo needs it
    call_command("load_demo", stdout=io.StringIO())
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(RECORD)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    violations = page.evaluate("() => window.__csp")
    screenshot(page, f"api-docs-{width}")

    assert violations == []
    assert "/api/v1/recommendations/{reference}/" in [path.replace("\u200b", "") for path in paths]
    assert len(paths) == 12
    assert [url for url in requested if not url.startswith(live_server.url)] == []
