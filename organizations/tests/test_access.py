"""One rule for every secretariat screen, whichever app it belongs to (organizations.access):
anonymous visitors are sent to sign in, everyone else who is not secretariat gets a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from events.models import Convening
from events.tests.factories import ConveningFactory, NextStepFactory
from organizations.access import secretariat_required
from organizations.tests.factories import OrganizationFactory
from recommendations.tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

# (method, URL name, what its URL needs)
SECRETARIAT_SCREENS = [
    ("get", "secretariat:index", None),
    ("get", "secretariat:import", None),
    ("post", "secretariat:import_confirm", None),
    ("get", "secretariat:convening", "convening"),
    ("get", "secretariat:promote", "convening"),
    ("post", "secretariat:publish", "convening"),
    ("get", "tracking:status_update_record", "recommendation"),
    ("get", "tracking:next_step_edit", "next_step"),
    ("get", "organizations_pending", None),
    ("post", "organization_verify", "organization"),
    ("post", "organization_merge", "organization"),
]


def _url(name: str, needs: str | None) -> str:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    args: dict[str | None, Any] = {
        None: {},
        "convening": {"slug": convening.slug},
        "recommendation": {"pk": RecommendationFactory.create(convening=convening).pk},
        "next_step": {"pk": NextStepFactory.create(convening=convening).pk},
        "organization": {"slug": OrganizationFactory.create(verified_at=None).slug},
    }
    return reverse(name, kwargs=args[needs])


@pytest.mark.parametrize(("method", "name", "needs"), SECRETARIAT_SCREENS)
def test_secretariat_screens_send_anonymous_visitors_to_sign_in(method: str, name: str, needs: str | None) -> None:
    url = _url(name, needs)

    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", ["cso_member", "donor", "unverified_member"], indirect=True)
@pytest.mark.parametrize(("method", "name", "needs"), SECRETARIAT_SCREENS)
def test_secretariat_screens_are_not_found_for_everyone_else(
    persona: Any, method: str, name: str, needs: str | None
) -> None:
    client = Client()
    client.force_login(persona)

    response = getattr(client, method)(_url(name, needs))

    assert response.status_code == 404


def test_a_refused_post_goes_back_to_the_page_of_its_form_after_signing_in() -> None:
    organization = OrganizationFactory.create(verified_at=None)
    pending = f"http://testserver{reverse('organizations_pending')}"

    response = Client().post(reverse("organization_verify", kwargs={"slug": organization.slug}), HTTP_REFERER=pending)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=http%3A//testserver{reverse('organizations_pending')}"


@pytest.mark.parametrize("verified", [False, True])
def test_secretariat_required_refuses_a_staff_session_without_a_verified_second_factor(
    secretariat: User, verified: bool
) -> None:
    # Behind SecondFactorMiddleware such a session never reaches a view; the helper refuses it
    # anyway, through is_secretariat, which reads the flag django-otp's middleware sets.
    @secretariat_required
    def screen(request: HttpRequest) -> HttpResponse:
        return HttpResponse("secretariat screen")

    request = RequestFactory().get("/secretariat/")
    secretariat.is_verified = lambda: verified  # type: ignore[attr-defined]  # as django_otp.middleware.OTPMiddleware
    request.user = secretariat

    try:
        answer = screen(request).status_code
    except Http404:
        answer = 404

    assert answer == (200 if verified else 404)
