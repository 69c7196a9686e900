"""What recommendations does when something changed (connected in apps.py).

What moves the reads version (gsx_portal.versions): a save, delete or many-to-many change of
any model a public page, facet or fragment reads.

Signals, not calls in each service, on purpose: a cache that missed one write path (the admin,
an import, a shell) would show stale counts or visibility, and nothing would notice. The receiver
only moves a number; the writes themselves stay in the services. Tallies change by trigger inside
an endorsement's write, which is itself a save seen here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from gsx_portal.versions import reads_changed

from . import services


def suggest_recurrences(sender: Any, *, convening_id: int, **kwargs: Any) -> None:
    """A published convening's recommendations may restate older ones: suggest which."""
    services.recurrence_suggestions_enqueue(convening_id=convening_id)


def chains_changed(sender: Any, *, convening_id: int, **kwargs: Any) -> None:
    """A convening published or unpublished changes which ask comes first in its chains."""
    services.convening_chains_changed(convening_id=convening_id)


WATCHED = (
    "events.Convening",
    "events.Session",
    "events.Paragraph",
    "events.Footnote",
    "events.KeyTheme",
    "events.NextStep",
    "events.Participation",
    "organizations.Organization",
    "recommendations.Recommendation",
    "recommendations.SubItem",
    "recommendations.Theme",
    "recommendations.Addressee",
    "recommendations.Endorsement",
    "recommendations.Letter",
    "recommendations.AddresseeResponse",
    "recommendations.StatusUpdate",
    "recommendations.RecommendationLink",
)


# Writes that change endorsements only (and the tallies their triggers keep): they leave the
# content version alone, so the reads no endorsement changes stay cached (gsx_portal.versions).
ENDORSEMENTS_ONLY = ("recommendations.Endorsement",)


def _changed(sender: Any, **kwargs: Any) -> None:
    reads_changed(content=sender._meta.label not in ENDORSEMENTS_ONLY)


def _m2m_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        reads_changed()


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"reads-version-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reads-version-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"reads-version-m2m-{label}-{field.name}")
