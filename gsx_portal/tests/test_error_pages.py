"""Error pages say what happened, in the reader's language, and offer a way on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_unknown_address_gets_the_portal_s_404_page(client: Client) -> None:
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "This page does not exist, or is not public" in html
    assert 'action="/recommendations/"' in html  # a search to go on with
    assert 'class="main-nav"' in html


def test_404_page_speaks_french(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert "Cette page n’existe pas, ou n’est pas publique" in response.content.decode()


def test_500_page_renders_without_a_request_context() -> None:
    request = RequestFactory().get("/")

    with translation.override("ru"):
        response = defaults.server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Ничего из сохранённого ранее не потеряно" in html
    assert '<html lang="ru">' in html


def test_403_page_explains_and_offers_a_way_on() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()  # the page must not depend on who asks

    with translation.override("en"):  # called without the middleware that picks the language
        response = defaults.permission_denied(request, PermissionError())

    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()


def test_a_post_without_csrf_token_gets_a_clear_page_and_changes_nothing(cso_member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cso_member)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    assert client.get("/").wsgi_request.user == cso_member  # still logged in: the POST did nothing
