"""Every in-page link of a convening page goes somewhere (issue 12: Vienna's note 1 back-link)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from events.importing.parser import parse_summary
from events.importing.service import ImportMetadata, convening_import, source_sha256
from events.tests.import_support import ROUNDTABLE, VIENNA, seed_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [VIENNA, ROUNDTABLE])
def test_every_in_page_link_of_an_imported_summary_has_its_target(seed: str) -> None:
    text = seed_text(seed)
    result = parse_summary(text)
    convening = convening_import(
        result=result,
        metadata=ImportMetadata.from_result(result, source_sha256=source_sha256(text)),
        user=None,
        publish=True,
    )

    html = Client().get(convening.get_absolute_url()).content.decode()

    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = set(re.findall(r' href="#([^"]+)"', html))
    assert targets - ids == set()
    assert len(ids) == len(re.findall(r' id="([^"]+)"', html))  # and no id twice
    if seed == VIENNA:
        assert {"fn1", "fn2"} <= ids
