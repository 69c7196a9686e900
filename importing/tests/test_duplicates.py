"""A draft the importer flags as a likely duplicate needs a second, explicit yes to be published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Convening
from events.services import PublishNeedsConfirmation, convening_publish
from events.tests.factories import ConveningFactory
from importing.parser import parse_summary
from importing.services import convening_import

pytestmark = pytest.mark.django_db


def test_importing_a_likely_duplicate_flags_it_and_publishing_asks_twice(client: Client, secretariat) -> None:
    original = ConveningFactory.create(status="published", title="Civil Society Day", start_date=dt.date(2017, 5, 25))
    text = "Civil Society Day\n\n25 May 2017, Vienna\n\n## Recommendations\n\n1. **Fund the core.** Body.\n"
    draft = convening_import(
        result=parse_summary(text),
        metadata={"title": "Civil Society Day", "start_date": original.start_date, "kind": "civil_society_day"},
        user=secretariat,
    )
    assert draft.duplicate_of == original
    with pytest.raises(PublishNeedsConfirmation):
        convening_publish(convening=draft)
    client.force_login(secretariat)
    changelist = reverse("admin:events_convening_changelist")

    first = client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Convening.Status.DRAFT
    assert "Publish likely duplicates?" in first.content.decode()
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk], "confirm_duplicate": "1"})
    draft.refresh_from_db()
    assert draft.status == Convening.Status.PUBLISHED
