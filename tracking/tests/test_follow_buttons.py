"""The theme page (and the convening page) carry the Follow button "What you follow" promises."""

from __future__ import annotations

import pytest
from django.test import Client

from events.tests.factories import ConveningFactory
from recommendations.tests.factories import ThemeFactory
from tracking.models import Follow

pytestmark = pytest.mark.django_db


def test_theme_page_has_a_follow_button_that_follows_the_theme(cso_member) -> None:
    theme = ThemeFactory.create(name="Youth", slug="youth")
    client = Client()
    client.force_login(cso_member)

    page = client.get(theme.get_absolute_url()).content.decode()
    client.post("/tracking/follow/", {"kind": "theme", "pk": theme.pk, "action": "follow", "next": "/"})
    again = client.get(theme.get_absolute_url()).content.decode()

    assert 'name="kind" value="theme"' in page
    assert "Follow Youth" in page
    assert Follow.objects.filter(user=cso_member, theme=theme, active=True).exists()
    assert "Unfollow Youth" in again


def test_theme_and_convening_pages_invite_anonymous_readers_to_sign_in_to_follow() -> None:
    theme = ThemeFactory.create()
    convening = ConveningFactory.create(status="published")

    for url in (theme.get_absolute_url(), convening.get_absolute_url()):
        assert "Sign in to follow" in Client().get(url).content.decode()
