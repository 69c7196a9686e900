"""Tracking's own admin: what the Secretariat group may see and change."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_secretariat_group_keeps_next_step_follow_ups_but_not_subscriptions(client, secretariat) -> None:
    client.force_login(secretariat)

    follow_ups = client.get(reverse("admin:tracking_nextstepfollowup_changelist"))
    add_follow_up = client.get(reverse("admin:tracking_nextstepfollowup_add"))
    subscriptions = client.get(reverse("admin:tracking_digestsubscription_changelist"))

    assert (follow_ups.status_code, add_follow_up.status_code, subscriptions.status_code) == (200, 200, 200)
    assert not secretariat.has_perm("tracking.change_digestsubscription")
    assert not secretariat.has_perm("tracking.change_follow")
