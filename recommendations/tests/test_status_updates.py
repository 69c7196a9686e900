"""Recording status updates: the timeline, the responses and the derived status move together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from organizations.tests.factories import OrganizationFactory
from recommendations.models import AddresseeResponse, Status, StatusUpdate
from recommendations.services import recommendation_status_refresh, status_update_record
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

Source = StatusUpdate.Source
DAY = dt.date(2025, 6, 2)


def _recommendation_with(*names: str):
    recommendation = RecommendationFactory.create()
    addressees = [AddresseeFactory.create(name=name, slug=name.lower()) for name in names]
    recommendation.addressees.set(addressees)
    return recommendation, addressees


def _record(recommendation, addressee, status, *, date=DAY, source=Source.SECRETARIAT, **extra):
    return status_update_record(
        recommendation=recommendation,
        addressee=addressee,
        status=status,
        date=date,
        source=source,
        public_reason=extra.pop("public_reason", "Recorded"),
        **extra,
    )


def test_status_update_record_creates_the_entry_the_response_and_the_derived_status(secretariat) -> None:
    recommendation, (undp, _osce) = _recommendation_with("UNDP", "OSCE")

    update = _record(recommendation, undp, Status.IN_PROGRESS, note="Pilot started", user=secretariat)

    recommendation.refresh_from_db()
    statuses = dict(recommendation.responses.values_list("addressee__name", "status"))
    assert update.created_by == secretariat
    assert statuses == {"UNDP": Status.IN_PROGRESS, "OSCE": Status.PROPOSED}
    assert recommendation.status == Status.IN_PROGRESS


def test_status_update_record_without_addressee_applies_to_every_addressee() -> None:
    recommendation, _addressees = _recommendation_with("UNDP", "OSCE")

    _record(recommendation, None, Status.SUBMITTED)

    recommendation.refresh_from_db()
    assert sorted(recommendation.responses.values_list("status", flat=True)) == [Status.SUBMITTED] * 2
    assert recommendation.status == Status.SUBMITTED


def test_status_update_record_all_addressees_implemented_gives_implemented() -> None:
    recommendation, (undp, osce) = _recommendation_with("UNDP", "OSCE")
    _record(recommendation, undp, Status.IMPLEMENTED)
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IN_PROGRESS

    _record(recommendation, osce, Status.IMPLEMENTED)

    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED


def test_status_update_record_backdated_entry_does_not_override_a_later_one() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")
    _record(recommendation, undp, Status.IMPLEMENTED, date=DAY)

    _record(recommendation, undp, Status.ACKNOWLEDGED, date=DAY - dt.timedelta(days=30))

    response = AddresseeResponse.objects.get(recommendation=recommendation, addressee=undp)
    assert response.status == Status.IMPLEMENTED
    assert recommendation.status_updates.count() == 2


def test_status_update_record_public_reason_enters_the_history() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")

    _record(recommendation, undp, Status.ACKNOWLEDGED, public_reason="Letter of reply received")

    latest = recommendation.history.latest()
    assert latest.status == Status.ACKNOWLEDGED
    assert latest.history_change_reason == "Letter of reply received"


def test_status_update_record_sets_owner_and_due_date_on_the_response() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")
    owner = OrganizationFactory.create()

    _record(recommendation, undp, Status.SUBMITTED, owner=owner, due_date=dt.date(2025, 12, 31))

    response = AddresseeResponse.objects.get(recommendation=recommendation, addressee=undp)
    assert (response.owner, response.due_date) == (owner, dt.date(2025, 12, 31))


def test_status_update_record_refuses_an_addressee_of_another_recommendation() -> None:
    recommendation, _addressees = _recommendation_with("UNDP")
    stranger = AddresseeFactory.create(name="Stranger", slug="stranger")

    with pytest.raises(ValidationError):
        _record(recommendation, stranger, Status.SUBMITTED)

    assert StatusUpdate.objects.count() == 0


def test_status_update_record_refuses_a_future_date_and_saves_nothing() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")

    with pytest.raises(ValidationError):
        _record(recommendation, undp, Status.SUBMITTED, date=dt.date.today() + dt.timedelta(days=2))

    recommendation.refresh_from_db()
    assert (StatusUpdate.objects.count(), recommendation.status) == (0, Status.PROPOSED)


def test_status_update_record_refuses_a_non_web_evidence_link() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")

    with pytest.raises(ValidationError):
        _record(recommendation, undp, Status.SUBMITTED, evidence_url="javascript:alert(1)")

    assert StatusUpdate.objects.count() == 0


def test_recommendation_status_refresh_without_addressees_follows_the_latest_general_update() -> None:
    recommendation = RecommendationFactory.create()
    _record(recommendation, None, Status.CIRCULATING, date=DAY)
    _record(recommendation, None, Status.PROPOSED, date=DAY - dt.timedelta(days=3))

    status = recommendation_status_refresh(recommendation=recommendation)

    assert status == Status.CIRCULATING
    assert recommendation.responses.count() == 0


def test_recommendation_status_refresh_after_a_deleted_update_falls_back() -> None:
    recommendation, (undp,) = _recommendation_with("UNDP")
    _record(recommendation, undp, Status.SUBMITTED, date=DAY - dt.timedelta(days=5))
    mistake = _record(recommendation, undp, Status.IMPLEMENTED)

    mistake.delete()
    recommendation_status_refresh(recommendation=recommendation)

    recommendation.refresh_from_db()
    assert recommendation.status == Status.SUBMITTED
