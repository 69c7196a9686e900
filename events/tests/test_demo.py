from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from conftest import totp_device_for
from events.models import Convening, Paragraph, Participation
from recommendations.models import Endorsement, Recommendation, SubItem

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Convening.objects.count(),
        Recommendation.objects.count(),
        SubItem.objects.count(),
        Paragraph.objects.count(),
        Participation.objects.count(),
        Endorsement.objects.count(),
    )


def test_load_demo_twice_duplicates_nothing() -> None:
    call_command("load_demo")
    first = _counts()

    call_command("load_demo")

    assert _counts() == first
    assert first[1] >= 8


def test_demo_has_all_three_participation_visibilities() -> None:
    call_command("load_demo")

    visibilities = set(Participation.objects.values_list("visibility", flat=True))

    assert visibilities == {"public", "network", "confidential"}


def test_home_and_admin_serve_the_demo_convening(client: Client) -> None:
    call_command("load_demo")
    convening = Convening.objects.get()

    home = client.get("/")
    staff = User.objects.get(username="secretariat")
    assert staff.check_password("gsx-demo-secretariat")
    totp_device_for(staff)  # the demo's staff enrol an authenticator at their first log-in
    client.force_login(staff)
    admin = client.get("/admin/events/convening/")

    assert home.status_code == 200 and convening.title in home.content.decode()
    assert admin.status_code == 200 and convening.title in admin.content.decode()


def test_convening_page_hides_confidential_participant_from_anonymous(client: Client) -> None:
    call_command("load_demo")
    convening = Convening.objects.get()
    confidential = Participation.objects.get(visibility="confidential").organization

    response = client.get(convening.get_absolute_url())

    assert response.status_code == 200
    assert confidential.name not in response.content.decode()


def test_demo_statuses_come_from_recorded_updates() -> None:
    from events import demo
    from recommendations.models import StatusUpdate

    call_command("load_demo")
    updates = StatusUpdate.objects.count()
    call_command("load_demo")

    assert StatusUpdate.objects.count() == updates > 0
    for number, *_, status in demo.RECOMMENDATIONS:
        recommendation = Convening.objects.get().recommendations.get(number=number)
        assert recommendation.status == status
        assert set(recommendation.status_updates.values_list("status", flat=True)) == {status}


def test_demo_endorsements_count_the_unnamed_one_without_naming_it(client: Client) -> None:
    call_command("load_demo")
    recommendation = Recommendation.objects.get(number=6)

    html = client.get(recommendation.get_absolute_url()).content.decode()

    assert Endorsement.objects.filter(recommendation=recommendation).count() == 6
    assert "Quiet Courage Collective" not in html
    assert "Endorsed by 6 organizations, 1 of them not named" in html
