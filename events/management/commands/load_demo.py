"""Load the demo convening, organizations and users. Safe to run any number of times.

A command may combine apps: the demo fills organizations, events and recommendations at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import demo
from events.models import Convening, Footnote, KeyTheme, NextStep, Paragraph, Participation, Session
from events.services import convening_publish
from gsx_portal.clock import portal_today
from organizations.models import Membership, Organization
from recommendations.models import Addressee, Endorsement, Recommendation, StatusUpdate, SubItem, Theme
from recommendations.services import status_update_record


class Command(BaseCommand):
    help = "Load demo content (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_load()
        self._record_statuses()
        self.stdout.write(self.style.SUCCESS("Demo content is loaded. Demo logins (username / password):"))
        for username, password, what in logins:
            self.stdout.write(f"  {username:<12} {password:<24} {what}")

    def _record_statuses(self) -> None:
        # Statuses come from the timeline, as staff record them: through the service that also
        # derives the overall status.
        convening = Convening.objects.get(slug=demo.CONVENING["slug"])
        reported_on = convening.end_date or convening.start_date
        for number, *_, status in demo.RECOMMENDATIONS:
            recommendation = convening.recommendations.get(number=number)
            if recommendation.status_updates.exists():
                continue  # a second run adds nothing
            for addressee in recommendation.addressees.all():
                status_update_record(
                    recommendation=recommendation,
                    addressee=addressee,
                    status=status,
                    date=reported_on,
                    source=StatusUpdate.Source.SECRETARIAT,
                    public_reason="Recorded with the demo content.",
                )


@transaction.atomic
def demo_load() -> list[tuple[str, str, str]]:
    """Create or refresh the demo content; returns (username, password, description) per login.

    Keyed on slugs, codes and usernames so a second run updates rows instead of adding new ones.
    """
    themes = {slug: Theme.objects.update_or_create(slug=slug, defaults={"name": name})[0] for name, slug in demo.THEMES}
    addressees = {
        slug: Addressee.objects.update_or_create(slug=slug, defaults={"name": name, "group": group})[0]
        for name, slug, group in demo.ADDRESSEES
    }
    orgs = {}
    for name, slug, kind, country, verified in demo.ORGANIZATIONS:
        org, _ = Organization.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "country": country}
        )
        if verified and org.verified_at is None:
            org.verified_at = timezone.now()
            org.save(update_fields=["verified_at"])
        orgs[slug] = org

    convening, _ = Convening.objects.update_or_create(slug=demo.CONVENING["slug"], defaults=dict(demo.CONVENING))
    for order, text in enumerate(demo.KEY_THEMES, start=1):
        KeyTheme.objects.update_or_create(convening=convening, order=order, defaults={"text": text})
    # The status is never typed, not even here: load_demo records it as status updates.
    for number, headline, body, items, theme_slugs, addressee_slugs, _status in demo.RECOMMENDATIONS:
        rec, _ = Recommendation.objects.update_or_create(
            convening=convening, number=number, defaults={"headline": headline, "body": body}
        )
        rec.themes.set([themes[s] for s in theme_slugs])
        rec.addressees.set([addressees[s] for s in addressee_slugs])
        for letter, text in zip("abcdefghijklmnopqrstuvwxyz", items, strict=False):
            SubItem.objects.update_or_create(recommendation=rec, letter=letter, defaults={"text": text})
    number = 0
    for order, (title, paragraphs) in enumerate(demo.SESSIONS, start=1):
        session, _ = Session.objects.update_or_create(convening=convening, order=order, defaults={"title": title})
        for text in paragraphs:
            number += 1
            Paragraph.objects.update_or_create(
                convening=convening, number=number, defaults={"session": session, "text": text}
            )
    for number, text in demo.FOOTNOTES:
        Footnote.objects.update_or_create(convening=convening, number=number, defaults={"text": text})
    today = portal_today()
    for order, (text, due_in_days, state) in enumerate(demo.NEXT_STEPS, start=1):
        step, _ = NextStep.objects.update_or_create(
            convening=convening,
            order=order,
            defaults={"text": text, "due_date": today + dt.timedelta(days=due_in_days), "state": state},
        )
        step.owners.set([orgs["riverbank-youth-forum"]])
    for slug, role, visibility in demo.PARTICIPATIONS:
        Participation.objects.update_or_create(
            convening=convening, organization=orgs[slug], defaults={"role": role, "visibility": visibility}
        )
    if not convening.is_published:
        convening_publish(convening=convening)
    for number, slug, is_named, signatory in demo.ENDORSEMENTS:
        Endorsement.objects.active().get_or_create(
            recommendation=convening.recommendations.get(number=number),
            organization=orgs[slug],
            defaults={"signatory_name": signatory, "is_named": is_named},
        )

    logins = []
    secretariat = Group.objects.get(name="Secretariat")
    for username, email, password, is_staff, org_slug in demo.USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"email": email, "is_staff": is_staff})
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        if is_staff:
            user.groups.add(secretariat)
        if org_slug:
            Membership.objects.update_or_create(
                user=user,
                organization=orgs[org_slug],
                defaults={"role": Membership.Role.ADMIN, "state": Membership.State.APPROVED},
            )
        what = (
            "secretariat staff (admin at /admin/)"
            if is_staff
            else f"member of {orgs[org_slug].name}"
            if org_slug
            else ""
        )
        logins.append((username, password, what))
    return logins
