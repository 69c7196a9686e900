"""What publications does when the apps below it announce a change (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from . import services


def prerender_changed_convening(sender: Any, *, convening_id: int, **kwargs: Any) -> None:
    """A convening's committed change makes its documents stale: render the new ones ahead."""
    services.documents_prerender_enqueue(convening_id=convening_id)
