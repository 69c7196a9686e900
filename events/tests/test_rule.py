"""A meeting rule is shown only when one was stated (neither seed states one)."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Convening
from events.tests.import_support import ROUNDTABLE, VIENNA, import_seed
from publications import services

pytestmark = pytest.mark.django_db


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
    from events.tests.factories import ConveningFactory

    convening = ConveningFactory.create(status="published", rule=Convening.Rule.ON_THE_RECORD)

    page = Client().get(convening.get_absolute_url()).content.decode()

    assert "<dt>Rule</dt><dd>On the record</dd>" in page
