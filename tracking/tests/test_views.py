"""The tracking pages: the staff update form, following, evidence files, next steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Convening, NextStep
from events.tests.factories import ConveningFactory, NextStepFactory
from gsx_portal.history import history_actor
from recommendations.models import AddresseeResponse, Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory, ThemeFactory
from recommendations.validators import EVIDENCE_MAX_BYTES
from tracking.models import Follow, NextStepTracking

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture(autouse=True)
def _evidence_root(settings, tmp_path) -> None:
    settings.EVIDENCE_ROOT = tmp_path


@pytest.fixture
def recommendation():
    recommendation = RecommendationFactory.create(
        convening=ConveningFactory.create(start_date=dt.date(2024, 5, 25)), headline="Protect civic space"
    )
    recommendation.addressees.set(
        [AddresseeFactory.create(name="UNDP", slug="undp"), AddresseeFactory.create(name="OSCE", slug="osce")]
    )
    return recommendation


def _url(recommendation) -> str:
    return reverse("tracking:status_update_record", args=[recommendation.pk])


def _post(client, recommendation, **overrides):
    data = {
        "addressee": recommendation.addressees.get(slug="undp").pk,
        "status": Status.IN_PROGRESS,
        "date": "2025-01-15",
        "source": StatusUpdate.Source.ADDRESSEE,
        "public_reason": "Programme launched",
        "note": "",
        "evidence_url": "https://example.org/launch",
        **overrides,
    }
    return client.post(_url(recommendation), {k: v for k, v in data.items() if v is not None})


def test_status_update_record_page_records_and_returns_to_the_timeline(client, secretariat, recommendation) -> None:
    client.force_login(secretariat)

    response = _post(client, recommendation, evidence_file=SimpleUploadedFile("reply.pdf", PDF))

    assert response.status_code == 302
    assert response["Location"] == recommendation.get_absolute_url() + "#tracking"
    update = StatusUpdate.objects.get()
    assert (update.status, update.evidence_url, update.created_by) == (
        Status.IN_PROGRESS,
        "https://example.org/launch",
        secretariat,
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IN_PROGRESS


def test_status_update_form_says_the_note_is_public_and_keeps_the_internal_note_to_staff(
    client, secretariat, recommendation
) -> None:
    recommendation.convening.publish()
    client.force_login(secretariat)
    form = client.get(_url(recommendation)).content.decode()
    _post(
        client, recommendation, note="Confirmed in the UNDP newsletter.", internal_note="Source asked not to be named"
    )
    client.logout()

    public = client.get(recommendation.get_absolute_url()).content.decode()

    assert "Public: everyone reading the recommendation sees this note." in form
    assert "Secretariat only" in form
    assert StatusUpdate.objects.get().internal_note == "Source asked not to be named"
    assert ["Confirmed in the UNDP newsletter." in public, "Source asked not to be named" in public] == [True, False]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "date", "is in the future"),
        ({"date": "2024-05-01"}, "date", "is before the convening"),
        ({"evidence_url": "ftp://example.org/file"}, "evidence_url", "starting with http:// or https://"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "starting with http:// or https://"),
        (
            {"evidence_file": SimpleUploadedFile("big.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES)},
            "evidence_file",
            "at most 5",
        ),
        ({"evidence_file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")}, "evidence_file", "cannot be attached"),
        ({"evidence_file": SimpleUploadedFile("fake.pdf", b"<html>")}, "evidence_file", "does not match"),
        ({"due_date": "2024-01-01"}, "due_date", "is before the convening"),
    ],
    ids=["future", "before-convening", "ftp", "javascript", "too-large", "type", "mismatch", "due-before-convening"],
)
def test_status_update_record_page_refuses_bad_input_and_saves_nothing(
    client, secretariat, recommendation, overrides, field, message
) -> None:
    client.force_login(secretariat)

    response = _post(client, recommendation, **overrides)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert StatusUpdate.objects.count() == 0
    assert AddresseeResponse.objects.filter(due_date__isnull=False).count() == 0
    recommendation.refresh_from_db()
    assert recommendation.status == Status.PROPOSED


@pytest.mark.parametrize("persona", ["cso_member", "donor"], indirect=True)
def test_status_update_record_page_is_a_404_for_everyone_but_the_secretariat(client, persona, recommendation) -> None:
    client.force_login(persona)

    response = _post(client, recommendation)

    assert response.status_code == 404
    assert StatusUpdate.objects.count() == 0


def test_status_update_record_page_sends_anonymous_visitors_to_sign_in(client, recommendation) -> None:
    response = _post(client, recommendation)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/")
    assert StatusUpdate.objects.count() == 0


def _render_panel(user, recommendation) -> str:
    request = RequestFactory().get(recommendation.get_absolute_url())
    request.user = user
    template = Template('{% include "tracking/_recommendation_tracking.html" %}')
    return template.render(RequestContext(request, {"recommendation": recommendation}))


def _record(recommendation, addressee, status, source, day, **extra):
    return status_update_record(
        recommendation=recommendation,
        addressee=addressee,
        status=status,
        date=day,
        source=source,
        public_reason=extra.pop("public_reason", "Update"),
        **extra,
    )


def test_recommendation_tracking_shows_contested_claims_side_by_side(anonymous, recommendation) -> None:
    undp = recommendation.addressees.get(slug="undp")
    _record(recommendation, undp, Status.IMPLEMENTED, StatusUpdate.Source.ADDRESSEE, dt.date(2025, 3, 1),
            evidence_url="https://undp.example/report")  # fmt: skip
    _record(recommendation, undp, Status.IN_PROGRESS, StatusUpdate.Source.CSO_MONITORING, dt.date(2025, 3, 5),
            evidence_url="https://cso.example/monitor")  # fmt: skip

    html = _render_panel(anonymous, recommendation)

    assert "Sources disagree on UNDP" in html
    claims = html.split('class="claims"')[1].split("</div>")[0]
    assert claims.count('data-testid="claim"') == 2
    assert "https://undp.example/report" in claims and "https://cso.example/monitor" in claims
    assert "Statement by the addressee" in claims and "CSO monitoring" in claims


def test_recommendation_tracking_procedural_steps_do_not_contest_a_claim(anonymous, recommendation) -> None:
    undp = recommendation.addressees.get(slug="undp")
    _record(recommendation, None, Status.SUBMITTED, StatusUpdate.Source.SECRETARIAT, dt.date(2025, 3, 1))
    _record(recommendation, undp, Status.IMPLEMENTED, StatusUpdate.Source.ADDRESSEE, dt.date(2025, 3, 5))

    html = _render_panel(anonymous, recommendation)

    assert "Sources disagree" not in html
    assert "according to: Statement by the addressee" in html


def test_recommendation_tracking_form_is_for_the_secretariat_only(anonymous, cso_member, secretariat, recommendation):
    pages = {user: _render_panel(user, recommendation) for user in (anonymous, cso_member, secretariat)}

    assert [("Record a status update" in html) for html in pages.values()] == [False, False, True]
    assert "Sign in to follow" in pages[anonymous]
    assert "Follow this recommendation" in pages[cso_member]


def test_recommendation_tracking_public_history_shows_reasons_but_not_drafting(anonymous, recommendation) -> None:
    convening = recommendation.convening
    recommendation.headline = "Early draft wording"
    recommendation.save()
    recommendation.headline = "Protect civic space"
    recommendation.save()
    convening.published_at = timezone.now()
    convening.save()
    recommendation.headline = "Protect and widen civic space"
    history_actor(recommendation, reason="Clarified after publication").save()
    _record(recommendation, None, Status.SUBMITTED, StatusUpdate.Source.SECRETARIAT, dt.date(2025, 3, 1),
            public_reason="Sent to both addressees")  # fmt: skip

    html = _render_panel(anonymous, recommendation)
    history = html.split("<h3>History</h3>")[1]

    assert "Clarified after publication" in history
    assert "Sent to both addressees" in history
    assert "<ins>and widen</ins>" in history
    assert "Early draft wording" not in history


def test_recommendation_tracking_marks_an_overdue_response(anonymous, recommendation) -> None:
    undp = recommendation.addressees.get(slug="undp")
    _record(recommendation, undp, Status.SUBMITTED, StatusUpdate.Source.SECRETARIAT, dt.date(2025, 3, 1),
            due_date=dt.date(2025, 4, 1))  # fmt: skip

    html = _render_panel(anonymous, recommendation)

    assert 'class="is-overdue"' in html
    assert "Overdue" in html


def test_follow_and_unfollow_a_recommendation(client, cso_member, recommendation) -> None:
    client.force_login(cso_member)
    url = reverse("tracking:follow")

    client.post(url, {"kind": "recommendation", "pk": recommendation.pk})
    following = Follow.objects.get(user=cso_member).active
    response = client.post(url, {"kind": "recommendation", "pk": recommendation.pk, "action": "unfollow"})

    assert following is True
    assert Follow.objects.get(user=cso_member).active is False
    assert response["Location"] == recommendation.get_absolute_url()


def test_follow_refuses_a_draft_and_foreign_redirects(client, cso_member) -> None:
    draft = RecommendationFactory.create(convening=ConveningFactory.create(status=Convening.Status.DRAFT))
    theme = ThemeFactory.create()
    client.force_login(cso_member)

    hidden = client.post(reverse("tracking:follow"), {"kind": "recommendation", "pk": draft.pk})
    bounced = client.post(
        reverse("tracking:follow"), {"kind": "theme", "pk": theme.pk, "next": "https://evil.example/"}
    )

    assert hidden.status_code == 404
    assert bounced["Location"] == theme.get_absolute_url()


def test_follow_needs_a_signed_in_user(client, recommendation) -> None:
    response = client.post(reverse("tracking:follow"), {"kind": "recommendation", "pk": recommendation.pk})

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert Follow.objects.count() == 0


def test_evidence_download_of_a_draft_is_a_404_outside_the_secretariat(client, secretariat, cso_member) -> None:
    draft = RecommendationFactory.create(convening=ConveningFactory.create(status=Convening.Status.DRAFT))
    update = StatusUpdate.objects.create(
        recommendation=draft, status=Status.SUBMITTED, evidence_file=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("tracking:evidence", args=[update.pk])

    client.force_login(cso_member)
    hidden = client.get(url)
    client.force_login(secretariat)
    shown = client.get(url)

    assert hidden.status_code == 404
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == PDF


def test_evidence_files_are_stored_outside_media_and_have_no_url(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    update = StatusUpdate.objects.create(
        recommendation=RecommendationFactory.create(),
        status=Status.SUBMITTED,
        evidence_file=SimpleUploadedFile("a.pdf", PDF),
    )

    stored = Path(update.evidence_file.path)

    assert stored.is_relative_to(settings.EVIDENCE_ROOT)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(ValueError, match="no URL"):
        _ = update.evidence_file.url


def test_next_step_edit_refuses_a_due_date_before_the_convening(client, secretariat) -> None:
    step = NextStepFactory.create(convening=ConveningFactory.create(start_date=dt.date(2024, 5, 25)))
    client.force_login(secretariat)

    response = client.post(
        reverse("tracking:next_step_edit", args=[step.pk]), {"state": "open", "due_date": "2024-05-01"}
    )

    assert response.status_code == 200
    assert "is before the convening (25 May 2024)" in " ".join(response.context["form"].errors["due_date"])
    step.refresh_from_db()
    assert step.due_date is None


def test_next_step_edit_saves_state_due_date_and_what_it_produces(client, secretariat) -> None:
    from organizations.tests.factories import OrganizationFactory
    from recommendations.tests.factories import LetterFactory

    step = NextStepFactory.create(convening=ConveningFactory.create(start_date=dt.date(2024, 5, 25)))
    letter, owner = LetterFactory.create(), OrganizationFactory.create()
    client.force_login(secretariat)

    response = client.post(
        reverse("tracking:next_step_edit", args=[step.pk]),
        {
            "state": "in_progress",
            "due_date": "2024-07-01",
            "owners": [owner.pk],
            "produces": "letter",
            "letter": letter.pk,
        },
    )

    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.state, step.due_date, list(step.owners.all())) == (
        NextStep.State.IN_PROGRESS,
        dt.date(2024, 7, 1),
        [owner],
    )
    assert NextStepTracking.objects.get(next_step=step).letter == letter


def test_next_step_state_tag_makes_overdue_steps_stand_out() -> None:
    step = NextStepFactory.create(due_date=dt.date(2020, 1, 1))
    done = NextStepFactory.create(due_date=dt.date(2020, 1, 1), state=NextStep.State.DONE)
    template = Template("{% load tracking_tags %}{% next_step_state step %}")

    overdue_html = template.render(Context({"step": step}))
    done_html = template.render(Context({"step": done}))

    assert "Overdue" in overdue_html
    assert "Overdue" not in done_html


def test_following_page_lists_follows_and_endorsed(client, cso_member, recommendation) -> None:
    from recommendations.tests.factories import EndorsementFactory

    endorsed = RecommendationFactory.create(headline="Endorsed one")
    EndorsementFactory.create(recommendation=endorsed, organization=cso_member.memberships.get().organization)
    Follow.objects.create(user=cso_member, recommendation=recommendation)
    client.force_login(cso_member)

    html = client.get(reverse("tracking:following")).content.decode()

    assert "Protect civic space" in html
    assert "Endorsed one" in html


def test_following_page_names_nothing_since_unpublished_in_constant_queries(
    client, cso_member, django_assert_num_queries
) -> None:
    from recommendations.tests.factories import EndorsementFactory

    organization = cso_member.memberships.get().organization
    client.force_login(cso_member)

    def follow_some(n: int) -> None:
        for index in range(n):
            convening = ConveningFactory.create(title=f"Followed convening {index}")
            shown = RecommendationFactory.create(convening=convening, headline=f"Followed ask {index}")
            Follow.objects.create(user=cso_member, recommendation=shown)
            Follow.objects.create(user=cso_member, convening=convening)
            EndorsementFactory.create(
                recommendation=RecommendationFactory.create(headline=f"Endorsed ask {index}"), organization=organization
            )

    follow_some(1)
    client.get(reverse("tracking:following"))  # the session and the user's first reads
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tracking:following"))
    follow_some(5)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("tracking:following"))

    withdrawn = ConveningFactory.create(title="Withdrawn convening")
    hidden = RecommendationFactory.create(convening=withdrawn, headline="Withdrawn ask")
    Follow.objects.create(user=cso_member, recommendation=hidden)
    Follow.objects.create(user=cso_member, convening=withdrawn)
    Convening.objects.filter(pk=withdrawn.pk).update(status=Convening.Status.DRAFT)

    html = client.get(reverse("tracking:following")).content.decode()
    assert "Followed ask 4" in html and "Followed convening 4" in html and "Endorsed ask 4" in html
    assert "Withdrawn" not in html


def test_digest_subscription_toggle(client, cso_member) -> None:
    client.force_login(cso_member)

    client.post(reverse("tracking:digest_subscription"), {"action": "unsubscribe"})
    off = cso_member.digest_subscription.unsubscribed_at
    client.post(reverse("tracking:digest_subscription"), {"action": "subscribe"})
    cso_member.digest_subscription.refresh_from_db()

    assert off is not None
    assert cso_member.digest_subscription.unsubscribed_at is None


def test_convening_dashboard_links_what_next_steps_produce(client) -> None:
    from recommendations.tests.factories import LetterFactory
    from tracking.services import next_step_update

    convening = ConveningFactory.create(slug="vienna", start_date=dt.date(2024, 5, 25))
    theme = ThemeFactory.create(slug="youth", name="Youth")
    letter = LetterFactory.create(title="Letter to the Secretary-General")
    brief_step = NextStepFactory.create(convening=convening, text="Write a brief")
    letter_step = NextStepFactory.create(convening=convening, text="Send a letter")
    next_step_update(next_step=brief_step, state="open", due_date=None, owners=[], produces="brief", brief_theme=theme)
    next_step_update(next_step=letter_step, state="open", due_date=None, owners=[], produces="letter", letter=letter)

    html = client.get(reverse("tracking:convening_dashboard", args=["vienna"])).content.decode()

    assert reverse("publications:theme_brief", args=["youth"]) in html
    assert letter.get_absolute_url() in html
