"""Writes about convenings that touch more than one row or enqueue work."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import F

from . import signals
from .models import Convening


@transaction.atomic
def convening_publish(*, convening: Convening) -> Convening:
    """Publish a draft; its version moves with the publication, its documents follow from a worker."""
    convening.publish()
    convening.content_version = convening_content_changed(convening_id=convening.pk)
    return convening


def convening_content_changed(*, convening_id: int) -> int:
    """Call after any change a convening's documents show; returns the new content version.

    The version moves now, inside the caller's transaction, so once the change is committed no
    request is served a file of the old content. Once committed (never for a rolled-back change),
    ``signals.content_changed`` tells the apps built on events: publications pre-renders.
    """
    version = convening_bump_content_version(convening_id=convening_id)
    transaction.on_commit(partial(signals.content_changed.send, sender=Convening, convening_id=convening_id))
    return version


def convening_bump_content_version(*, convening_id: int) -> int:
    """Mark every rendered document of the convening stale; returns the new version.

    An UPDATE with F() so two workers bumping at once both count.
    """
    Convening.objects.filter(pk=convening_id).update(content_version=F("content_version") + 1)
    return int(Convening.objects.values_list("content_version", flat=True).get(pk=convening_id))


@transaction.atomic
def demo_load() -> list[tuple[str, str, str]]:
    """Create or refresh the demo content; returns (username, password, description) per login.

    Keyed on slugs, codes and usernames so a second run updates rows instead of adding new ones.
    """
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from gsx_portal.clock import portal_today
    from organizations.models import Membership, Organization
    from recommendations.models import Addressee, Endorsement, Recommendation, SubItem, Theme

    from . import demo
    from .models import Footnote, KeyTheme, NextStep, Paragraph, Participation, Session

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
