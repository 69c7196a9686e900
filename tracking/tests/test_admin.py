"""Tracking's own admin: what the Secretariat group may see and change."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_secretariat_group_keeps_next_step_tracking_but_not_subscriptions(client, secretariat) -> None:
    client.force_login(secretariat)

    trackings = client.get(reverse("admin:tracking_nextsteptracking_changelist"))
    add_tracking = client.get(reverse("admin:tracking_nextsteptracking_add"))
    subscriptions = client.get(reverse("admin:tracking_digestsubscription_changelist"))

    assert (trackings.status_code, add_tracking.status_code, subscriptions.status_code) == (200, 200, 200)
    assert not secretariat.has_perm("tracking.change_digestsubscription")
    assert not secretariat.has_perm("tracking.change_follow")
