"""Reads about people: everything the portal holds about one person, for them to download; the
organizations waiting for the secretariat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from gsx_portal.worklist import WORKLIST_ITEMS, WorkItem, WorklistEntry

from .models import Organization


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def account_data(*, user: User) -> dict[str, Any]:
    """The person's own data, as JSON-ready values: profile, memberships, what they endorsed and
    signed (with their comments: their inputs), what they follow, their digest setting.

    Reached through reverse relations, so this app imports none of the apps that hold those rows.
    """
    endorsements = user.endorsements.select_related("organization", "recommendation__convening", "letter").order_by(
        "created_at"
    )
    follows = user.follows.select_related("recommendation__convening", "theme", "convening")
    subscription = getattr(user, "digest_subscription", None)
    return {
        "profile": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "state": m.state,
                "job_title": m.title,
                "requested_at": _when(m.created_at),
                "decided_at": _when(m.decided_at),
            }
            for m in user.memberships.select_related("organization").order_by("created_at")
        ],
        "endorsements": [
            {
                "of": "recommendation" if e.recommendation_id else "letter",
                "recommendation": e.recommendation.reference if e.recommendation else None,
                "letter": e.letter.title if e.letter else None,
                "organization": e.organization.name,
                "signatory_name": e.signatory_name,
                "signatory_title": e.signatory_title,
                "comment": e.comment,
                "named": e.is_named,
                "created_at": _when(e.created_at),
                "withdrawn_at": _when(e.withdrawn_at),
            }
            for e in endorsements
        ],
        "follows": [
            {
                "kind": f.kind,
                "following": f.active,
                "what": str(f.recommendation.reference if f.recommendation else f.theme or f.convening),
            }
            for f in follows
        ],
        "digest": {
            "unsubscribed_at": _when(subscription.unsubscribed_at) if subscription else None,
            "last_sent_at": _when(subscription.last_sent_at) if subscription else None,
        },
    }


def worklist(*, user: User | AnonymousUser | None, today: dt.date) -> list[WorklistEntry]:
    """Organizations that registered and wait for the secretariat to verify them."""
    pending = Organization.objects.verifiable_by(user).filter(verified_at__isnull=True).order_by("created_at")
    items = [
        WorkItem(label=o.name, url=reverse("organizations_pending"), detail=o.get_kind_display())
        for o in pending[:WORKLIST_ITEMS]
    ]
    return [
        WorklistEntry(
            key="organizations_pending",
            title=str(_("Organizations waiting for verification")),
            count=pending.count() if len(items) == WORKLIST_ITEMS else len(items),
            items=items,
            url=reverse("organizations_pending"),
        )
    ]
