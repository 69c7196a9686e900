"""The import preview shows each problem beside the item it is about (issue 13, item 3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEXT = (
    "Imaginary Roundtable on Coastal Libraries\n\n4 March 2031, Geneva\n\n"
    "RECOMMENDATIONS\n\n"
    "1. **Share the catalogue:** Branches could:\n"
    "a. publish opening hours;\n"
    "b. lend books between islands;\n"
    "d. count visitors each month.\n\n"
    "2. **Train volunteers:** Volunteers learn to run the lending desk.\n\n"
    "SUMMARY\n"
)


def test_the_preview_shows_problems_beside_their_recommendations(secretariat: User) -> None:
    client = Client()
    client.force_login(secretariat)

    response = client.post(reverse("secretariat:import"), {"text": TEXT})

    html = response.content.decode()
    recs = html.split('class="recommendations"')[1].split("</details>")[0]
    first, second = recs.split('<li value="2">', 1)
    assert 'class="item-problem"' in first and "Sub-item ‘c’ of recommendation 1 is missing" in first
    summary_line = TEXT[: TEXT.index("SUMMARY")].count("\n") + 1
    assert "‘SUMMARY’ was added to recommendation 2" in second and f"(line {summary_line})" in second
    assert "Sub-item ‘c’" not in second
