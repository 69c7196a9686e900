"""The versions of a text, read from django-simple-history: every saved change of a letter's or a
recommendation's body, or a sub-item's text, whatever made it (a rewording accepted, the admin).

Consecutive history records with the same text (a state change, a date) are one version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from . import text_diff


@dataclass(frozen=True)
class TextVersion:
    number: int
    history_id: int
    date: dt.datetime
    text: str
    reason: str


def text_versions(obj: Model, field: str) -> list[TextVersion]:
    """Oldest first, numbered from 1; one query."""
    history: Any = obj.history  # type: ignore[attr-defined]  # simple-history's per-instance manager
    records = history.order_by("history_date", "history_id").values_list(
        "history_id", "history_date", field, "history_change_reason"
    )
    versions: list[TextVersion] = []
    for history_id, date, text, reason in records:
        if versions and versions[-1].text == text:
            continue
        versions.append(TextVersion(len(versions) + 1, history_id, date, text or "", reason or ""))
    return versions


@dataclass(frozen=True)
class Comparison:
    before: TextVersion
    after: TextVersion
    pieces: list[tuple[str, str]]


def compare(versions: list[TextVersion], before: Any, after: Any) -> Comparison | None:
    """The two versions asked for by number (default: the last two); None if there is only one or
    a number is not a version (the page says so)."""
    if len(versions) < 2:
        return None
    by_number = {v.number: v for v in versions}
    try:
        a = by_number[int(before)] if before else versions[-2]
        b = by_number[int(after)] if after else versions[-1]
    except (KeyError, ValueError, TypeError):
        return None
    return Comparison(before=a, after=b, pieces=text_diff.word_diff(a.text, b.text))
