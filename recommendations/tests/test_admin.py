"""The admin keeps the status derived: read-only, re-derived after admin edits and reverts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recommendations.models import Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation():
    recommendation = RecommendationFactory.create(headline="Original headline")
    recommendation.addressees.add(AddresseeFactory.create(name="UNDP", slug="undp"))
    return recommendation


def test_recommendation_admin_shows_the_status_read_only(admin_client, recommendation) -> None:
    response = admin_client.get(reverse("admin:recommendations_recommendation_change", args=[recommendation.pk]))

    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert "status" in response.context["adminform"].readonly_fields


def test_status_update_admin_add_re_derives_the_status(admin_client, recommendation) -> None:
    undp = recommendation.addressees.get()

    response = admin_client.post(
        reverse("admin:recommendations_statusupdate_add"),
        {
            "recommendation": recommendation.pk,
            "addressee": undp.pk,
            "date": "2025-06-01",
            "status": Status.ACKNOWLEDGED,
            "source": StatusUpdate.Source.ADDRESSEE,
            "public_reason": "Reply received",
        },
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.ACKNOWLEDGED
    assert recommendation.history.latest().history_change_reason == "Reply received"


def test_status_update_admin_refuses_a_future_date_and_a_non_web_link(admin_client, recommendation) -> None:
    response = admin_client.post(
        reverse("admin:recommendations_statusupdate_add"),
        {
            "recommendation": recommendation.pk,
            "date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "status": Status.IMPLEMENTED,
            "source": StatusUpdate.Source.ADDRESSEE,
            "evidence_url": "ftp://example.org/x",
        },
    )

    errors = response.context["adminform"].form.errors
    assert "in the future" in errors["date"][0]
    assert "http://" in errors["evidence_url"][0]
    assert StatusUpdate.objects.count() == 0


def test_status_update_admin_delete_re_derives_the_status(admin_client, recommendation) -> None:
    update = status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=Status.SUBMITTED,
        date=dt.date(2025, 6, 1),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
    )

    admin_client.post(reverse("admin:recommendations_statusupdate_delete", args=[update.pk]), {"post": "yes"})

    recommendation.refresh_from_db()
    assert recommendation.status == Status.PROPOSED


def test_recommendation_admin_revert_restores_the_text_but_keeps_the_derived_status(
    admin_client, recommendation
) -> None:
    original = recommendation.history.earliest()
    recommendation.headline = "Edited headline"
    recommendation.save()
    status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=Status.SUBMITTED,
        date=dt.date(2025, 6, 1),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
    )
    url = reverse("admin:recommendations_recommendation_simple_history", args=[recommendation.pk, original.history_id])

    response = admin_client.post(
        url,
        {
            "convening": recommendation.convening_id,
            "number": recommendation.number,
            "headline": "Original headline",
            "body": recommendation.body,
            "addressees": [a.pk for a in recommendation.addressees.all()],
            "public_reason": "Edit undone",
        },
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.headline, recommendation.status) == ("Original headline", Status.SUBMITTED)
    assert recommendation.history.latest().history_change_reason == "Edit undone"


def test_admin_links_a_stored_evidence_file_to_the_checking_view(admin_client, recommendation, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.EVIDENCE_ROOT = tmp_path
    update = StatusUpdate.objects.create(
        recommendation=recommendation,
        status=Status.SUBMITTED,
        evidence_file=SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n"),
    )

    response = admin_client.get(reverse("admin:recommendations_statusupdate_change", args=[update.pk]))

    assert response.status_code == 200
    assert f'href="{reverse("tracking:evidence", args=[update.pk])}"' in response.content.decode()
