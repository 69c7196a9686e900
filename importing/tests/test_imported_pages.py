"""Imported summaries read right on the page: every in-page link has its target (Vienna's note 1
back-link), and a meeting rule shows only when one was stated (neither seed states one)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import ROUNDTABLE, VIENNA, seed_text
from events.models import Convening
from events.tests.factories import ConveningFactory
from importing.parser import parse_summary
from importing.services import ImportMetadata, convening_import, source_sha256
from publications import services

pytestmark = pytest.mark.django_db


def import_seed(name: str) -> Convening:
    """A seed imported and published as staff would, with its text's hash (so re-imports find it)."""
    text = seed_text(name)
    result = parse_summary(text)
    metadata = ImportMetadata.from_result(result, source_sha256=source_sha256(text))
    return convening_import(result=result, metadata=metadata, user=None, publish=True)


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


@pytest.mark.parametrize("seed", [VIENNA, ROUNDTABLE])
def test_imported_summary_without_a_rule_shows_none(seed: str) -> None:
    convening = import_seed(seed)

    page = Client().get(convening.get_absolute_url()).content.decode()
    data = services.document_data(kind="summary", obj=convening, audience="public")

    assert convening.rule == Convening.Rule.NOT_STATED
    assert "Chatham House" not in page
    assert "<dt>Rule</dt>" not in page
    assert getattr(data, "rule_label", None) == ""


def test_a_stated_rule_is_shown() -> None:
    convening = ConveningFactory.create(status="published", rule=Convening.Rule.ON_THE_RECORD)

    page = Client().get(convening.get_absolute_url()).content.decode()

    assert "<dt>Rule</dt><dd>On the record</dd>" in page
