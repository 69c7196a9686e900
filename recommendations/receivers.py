"""What recommendations does when events announces a change (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from . import services


def suggest_recurrences(sender: Any, *, convening_id: int, **kwargs: Any) -> None:
    """A published convening's recommendations may restate older ones: suggest which."""
    services.recurrence_suggestions_enqueue(convening_id=convening_id)
