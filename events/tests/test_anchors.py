"""Every in-page link of a convening page goes somewhere (issue 12: Vienna's note 1 back-link)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from events.tests.import_support import ROUNDTABLE, VIENNA, import_seed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [VIENNA, ROUNDTABLE])
def test_every_in_page_link_of_an_imported_summary_has_its_target(seed: str) -> None:
    convening = import_seed(seed)

    html = Client().get(convening.get_absolute_url()).content.decode()

    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = set(re.findall(r' href="#([^"]+)"', html))
    assert targets - ids == set()
    assert len(ids) == len(re.findall(r' id="([^"]+)"', html))  # and no id twice
    if seed == VIENNA:
        assert {"fn1", "fn2"} <= ids
