"""Writes about convenings that touch more than one row or enqueue work."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gsx_portal.history import history_actor
from gsx_portal.versions import reads_changed
from organizations.models import Organization

from . import signals
from .models import Convening, Participation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class PublishNeedsConfirmation(Exception):
    """The importer flagged the convening as a likely duplicate: publishing needs a second yes."""

    def __init__(self, convening: Convening) -> None:
        self.convening = convening
        duplicate = convening.duplicate_of
        super().__init__(
            _("%(code)s looks like a duplicate of %(other)s. Confirm to publish it anyway.")
            % {"code": convening.code, "other": duplicate.code if duplicate else "?"}
        )


@transaction.atomic
def convening_publish(*, convening: Convening, confirm_duplicate: bool = False) -> Convening:
    """Publish a draft; its version moves with the publication, its documents follow from a worker.

    Raises ``PublishNeedsConfirmation`` for a likely duplicate unless ``confirm_duplicate``.
    """
    if convening.duplicate_of_id and not confirm_duplicate:
        raise PublishNeedsConfirmation(convening)
    convening.publish()
    convening.content_version = convening_content_changed(convening_id=convening.pk)
    transaction.on_commit(partial(signals.convening_published.send, sender=Convening, convening_id=convening.pk))
    return convening


@transaction.atomic
def convening_unpublish(*, convening: Convening) -> Convening:
    """Back to a draft: out of the public portal, endorsements and timelines kept for a re-publication."""
    convening.unpublish()
    convening.content_version = convening_content_changed(convening_id=convening.pk)
    transaction.on_commit(partial(signals.convening_unpublished.send, sender=Convening, convening_id=convening.pk))
    return convening


@transaction.atomic
def convening_archive(*, convening: Convening, archived: bool = True) -> Convening:
    """Archive (or bring back) a convening: out of the lists, its pages and citations still answer."""
    convening.archived_at = timezone.now() if archived else None
    convening.save(update_fields=["archived_at", "updated_at"])
    convening.content_version = convening_content_changed(convening_id=convening.pk)
    return convening


def convening_content_changed(*, convening_id: int, endorsements_only: bool = False) -> int:
    """Call after any change a convening's documents show; returns the new content version.
    ``endorsements_only``: the change was an endorsement or its withdrawal, nothing else (the
    reads that no endorsement changes stay cached: gsx_portal.versions).

    The version moves now, inside the caller's transaction, so once the change is committed no
    request is served a file of the old content. Once committed (never for a rolled-back change),
    ``signals.content_changed`` tells the apps built on events: publications pre-renders.
    """
    version = convening_bump_content_version(convening_id=convening_id, endorsements_only=endorsements_only)
    transaction.on_commit(partial(signals.content_changed.send, sender=Convening, convening_id=convening_id))
    return version


def convening_bump_content_version(*, convening_id: int, endorsements_only: bool = False) -> int:
    """Mark every rendered document of the convening stale; returns the new version.

    An UPDATE with F() so two workers bumping at once both count.
    """
    Convening.objects.filter(pk=convening_id).update(content_version=F("content_version") + 1)
    # An UPDATE sends no signal: cached reads must move with the files.
    reads_changed(content=not endorsements_only)
    return int(Convening.objects.values_list("content_version", flat=True).get(pk=convening_id))


@transaction.atomic
def convening_header_save(*, convening: Convening, fields: list[str], user: User | AnonymousUser | None) -> Convening:
    """Save the header fields a form changed; the documents print them, so their version moves."""
    if fields:
        history_actor(convening, user=user).save(update_fields=[*fields, "updated_at"])
        convening.content_version = convening_content_changed(convening_id=convening.pk)
    return convening


class ParticipationRefused(Exception):
    """A participation change that must not happen; the message is for the secretariat."""


@transaction.atomic
def participation_add(
    *, convening: Convening, organization: Organization, role: str, visibility: str, user: User | AnonymousUser | None
) -> Participation:
    """Record that an organization took part; one participation per organization and convening."""
    if Participation.objects.filter(convening=convening, organization=organization).exists():
        raise ParticipationRefused(
            _("%(organization)s already takes part in %(code)s.")
            % {"organization": organization, "code": convening.code}
        )
    participation = Participation(convening=convening, organization=organization, role=role, visibility=visibility)
    participation.full_clean()
    history_actor(participation, user=user).save()
    convening_content_changed(convening_id=convening.pk)
    return participation


@transaction.atomic
def participation_change(
    *, participation: Participation, role: str, visibility: str, user: User | AnonymousUser | None
) -> Participation:
    participation.role, participation.visibility = role, visibility
    participation.full_clean()
    history_actor(participation, user=user).save(update_fields=["role", "visibility"])
    convening_content_changed(convening_id=participation.convening_id)
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, user: User | AnonymousUser | None) -> None:
    history_actor(participation, user=user).delete()
    convening_content_changed(convening_id=participation.convening_id)
