"""How a recommendation's overall status follows from where each of its addressees stands.

One recommendation is often addressed to several actors; each answers at its own pace. The overall
status is never typed: it is derived from the addressees' statuses by this rule, applied in order.

1. Nothing to derive from: ``proposed``.
2. Superseded addressees drop out (the later recommendation carries them); if every addressee
   was superseded, the recommendation is ``superseded``.
3. Addressees that did not take it up drop out next; if every remaining addressee declined,
   ``not taken up``.
4. Every remaining addressee implemented it: ``implemented``.
5. Some remaining addressee is acting on it (``in progress`` or ``implemented``) but not all
   have finished: ``in progress``.
6. Otherwise the least advanced remaining status (proposed < circulating < submitted <
   acknowledged): a recommendation is only as far along as its slowest addressee.

The rule never overstates: ``implemented`` means every addressee that took it up implemented
it, and the per-addressee responses stay visible beside the overall status.

Pure on purpose: no database, so every combination is cheap to test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .models import Status, StatusUpdate

# The pre-action stages, least advanced first (rule 6).
STAGES: tuple[Status, ...] = (Status.PROPOSED, Status.CIRCULATING, Status.SUBMITTED, Status.ACKNOWLEDGED)
ACTING: frozenset[Status] = frozenset({Status.IN_PROGRESS, Status.IMPLEMENTED})
# Statuses after which nothing more is expected from an addressee.
FINAL: frozenset[Status] = frozenset({Status.IMPLEMENTED, Status.NOT_TAKEN_UP, Status.SUPERSEDED})


def derive_status(statuses: Iterable[Status | str]) -> Status:
    """The overall status for the given addressee statuses (see the module docstring)."""
    present = {Status(value) for value in statuses}
    if not present:
        return Status.PROPOSED
    remaining = present - {Status.SUPERSEDED}
    if not remaining:
        return Status.SUPERSEDED
    remaining -= {Status.NOT_TAKEN_UP}
    if not remaining:
        return Status.NOT_TAKEN_UP
    if remaining == {Status.IMPLEMENTED}:
        return Status.IMPLEMENTED
    if remaining & ACTING:
        return Status.IN_PROGRESS
    return min(remaining, key=STAGES.index)


def updates_per_addressee(updates: Sequence[StatusUpdate], addressee_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Each addressee's updates, oldest first; a recommendation-wide update counts for everyone."""
    per: dict[int, list[StatusUpdate]] = {addressee_id: [] for addressee_id in addressee_ids}
    for update in sorted(updates, key=lambda u: (u.date, u.created_at, u.pk)):
        targets = per.keys() if update.addressee_id is None else [update.addressee_id]
        for addressee_id in targets:
            per.setdefault(addressee_id, []).append(update)
    return per
