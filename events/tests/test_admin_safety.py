"""Nothing lost and nothing wrong through the admin (issue 12, item 6).

- a recommendation's status is derived: no admin form anywhere lets it be typed;
- a convening's status changes only through the publish/unpublish services (actions, buttons);
- published convenings, recommendations with endorsements or status updates, and organizations
  with endorsements cannot be deleted; unpublish and archive are offered instead;
- publishing a likely duplicate needs a second, explicit confirmation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.urls import reverse

from events.models import Convening
from events.tests.factories import ConveningFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Recommendation
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def _request(user: Any, data: dict[str, str] | None = None) -> Any:
    request = RequestFactory().post("/admin/", data or {})
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _recommendation_forms(user: Any, objects: dict[Any, Any]) -> list[tuple[str, Any]]:
    """(where, form class) for every admin form, page or inline at any depth, editing a Recommendation."""
    request = _request(user)
    found = []

    def inlines_of(owner: Any, parent_model: Any, where: str) -> None:
        for inline_class in getattr(owner, "inlines", []):
            inline = inline_class(parent_model, admin.site)
            label = f"{where} > {inline_class.__name__}"
            if inline.model is Recommendation:
                found.append((label, inline.get_formset(request, objects.get(parent_model)).form))
            inlines_of(inline, inline.model, label)

    for model, model_admin in admin.site._registry.items():
        if model is Recommendation:
            found.append((type(model_admin).__name__, model_admin.get_form(request, objects.get(model))))
        inlines_of(model_admin, model, type(model_admin).__name__)
    return found


def test_no_admin_form_lets_a_recommendation_status_be_typed(secretariat) -> None:
    for published in (False, True):
        convening = ConveningFactory.create(status="published" if published else "draft")
        recommendation = RecommendationFactory.create(convening=convening)
        for objects in ({}, {Convening: convening, Recommendation: recommendation}):
            forms = _recommendation_forms(secretariat, objects)

            recommendation_admin = type(admin.site._registry[Recommendation]).__name__
            assert {where.split(" > ")[0] for where, _form in forms} >= {"ConveningAdmin", recommendation_admin}
            assert [where for where, form in forms if "status" in form.base_fields] == []


def test_convening_admin_status_is_read_only(secretariat) -> None:
    convening = ConveningFactory.create(status="draft")

    form = admin.site._registry[Convening].get_form(_request(secretariat), convening)

    assert "status" not in form.base_fields
    assert "published_at" not in form.base_fields


def test_publish_action_calls_the_service(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="draft", published_at=None)
    version = convening.content_version
    client.force_login(secretariat)

    client.post(reverse("admin:events_convening_changelist"), {"action": "publish", "_selected_action": [convening.pk]})

    convening.refresh_from_db()
    assert convening.status == Convening.Status.PUBLISHED
    assert convening.published_at is not None
    assert convening.content_version == version + 1


def test_publish_and_unpublish_buttons_call_the_services(secretariat) -> None:
    convening = ConveningFactory.create(status="draft", published_at=None)
    model_admin = admin.site._registry[Convening]

    model_admin.response_change(_request(secretariat, {"_publish": "1"}), convening)
    convening.refresh_from_db()
    published_at = convening.published_at
    model_admin.response_change(_request(secretariat, {"_unpublish": "1"}), convening)
    convening.refresh_from_db()

    assert published_at is not None
    assert convening.status == Convening.Status.DRAFT
    assert convening.published_at == published_at  # when it first went out stays on record


def test_change_page_offers_the_buttons_not_a_status_field(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="published")
    client.force_login(secretariat)

    page = client.get(reverse("admin:events_convening_change", args=[convening.pk])).content.decode()

    assert 'name="_unpublish"' in page
    assert 'name="_archive"' in page
    assert 'name="status"' not in page
    assert reverse("admin:events_convening_delete", args=[convening.pk]) not in page


def test_published_convening_cannot_be_deleted_from_its_page(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="published")
    client.force_login(secretariat)

    response = client.post(reverse("admin:events_convening_delete", args=[convening.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Convening.objects.filter(pk=convening.pk).exists()


def test_published_convening_cannot_be_deleted_by_the_bulk_action(client: Client, secretariat) -> None:
    convening = ConveningFactory.create(status="published")
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:events_convening_changelist"),
        {"action": "delete_selected", "_selected_action": [convening.pk], "post": "yes"},
    )

    assert Convening.objects.filter(pk=convening.pk).exists()
    assert "is published: unpublish or archive it instead" in response.content.decode()


def test_recommendation_with_endorsements_or_status_updates_is_protected(client: Client, secretariat) -> None:
    endorsed = RecommendationFactory.create(convening__status="draft")
    EndorsementFactory.create(recommendation=endorsed)
    tracked = RecommendationFactory.create(convening__status="draft")
    StatusUpdateFactory.create(recommendation=tracked)
    client.force_login(secretariat)

    for recommendation in (endorsed, tracked):
        with pytest.raises(ProtectedError):
            Recommendation.objects.filter(pk=recommendation.pk).delete()
        page = client.post(
            reverse("admin:recommendations_recommendation_delete", args=[recommendation.pk]), {"post": "yes"}
        ).content.decode()
        assert "protected" in page
    # Deleting the draft convening would take the protected recommendation with it: refused too.
    client.post(
        reverse("admin:events_convening_changelist"),
        {"action": "delete_selected", "_selected_action": [endorsed.convening_id], "post": "yes"},
    )
    assert Recommendation.objects.filter(pk__in=[endorsed.pk, tracked.pk]).count() == 2


def test_organization_with_endorsements_is_protected(client: Client, secretariat) -> None:
    organization = OrganizationFactory.create()
    EndorsementFactory.create(organization=organization)
    client.force_login(secretariat)

    page = client.post(
        reverse("admin:organizations_organization_delete", args=[organization.pk]), {"post": "yes"}
    ).content.decode()

    assert "protected" in page
    assert type(organization).objects.filter(pk=organization.pk).exists()


def test_archived_convening_leaves_the_lists_and_its_pages_answer_with_a_notice(client: Client, secretariat) -> None:
    from events.services import convening_archive

    convening = ConveningFactory.create(status="published", title="Archived gathering")
    recommendation = RecommendationFactory.create(convening=convening, headline="An archived idea")
    convening_archive(convening=convening)

    listing = client.get(reverse("events:convening_list")).content.decode()
    search = client.get(reverse("recommendations:list")).content.decode()
    page = client.get(convening.get_absolute_url())
    rec_page = client.get(recommendation.get_absolute_url())

    assert "Archived gathering" not in listing
    assert "An archived idea" not in search
    assert page.status_code == rec_page.status_code == 200
    assert "This convening is archived" in page.content.decode()
    assert "archived convening" in rec_page.content.decode()
