"""The secretariat's worklist: what waits for someone to act, gathered from every app.

Each app contributes entries from a selector ``worklist(*, user, today)`` returning
``WorklistEntry`` rows; the ``/secretariat/`` view lists the providers in one place (it may
combine apps, as views do). An entry is a count, a few items to act on, and where the rest are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Items shown under an entry; the entry's ``url`` leads to all of them.
WORKLIST_ITEMS = 5


@dataclass(frozen=True)
class WorkItem:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorklistEntry:
    key: str
    title: str
    count: int
    items: list[WorkItem] = field(default_factory=list)
    url: str = ""
    # How many items there are in all, when an item groups several counted things (a convening
    # with its untagged recommendations); by default each counted thing is an item.
    item_count: int | None = None

    @property
    def more(self) -> int:
        total = self.count if self.item_count is None else self.item_count
        return max(total - len(self.items), 0)
