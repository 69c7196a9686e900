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
