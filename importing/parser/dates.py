"""Dates as summaries write them: "25 May 2017", "May 25-26, 2017", "14–15 October 2030", ISO."""

from __future__ import annotations

import re
from datetime import date

_MONTH_WORDS = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: i for i, name in enumerate(_MONTH_WORDS.split(), start=1)}
_M = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(\d{4})"
_DASH = r"\s*(?:[-–—]|\bto\b|\buntil\b|\band\b|&)\s*"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_D}\s+{_M},?\s+{_Y}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "DMY-DMY"),
    (re.compile(rf"\b{_M}\s+{_D},?\s+{_Y}{_DASH}{_M}\s+{_D},?\s+{_Y}\b", re.I), "MDY-MDY"),
    (re.compile(rf"\b{_D}\s+{_M}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "DM-DMY"),
    (re.compile(rf"\b{_M}\s+{_D}{_DASH}{_M}\s+{_D},?\s+{_Y}\b", re.I), "MD-MDY"),
    (re.compile(rf"\b{_D}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "D-DMY"),
    (re.compile(rf"\b{_M}\s+{_D}{_DASH}{_D},?\s+{_Y}\b", re.I), "MD-DY"),
    (re.compile(rf"\b{_D}\s+{_M},?\s+{_Y}\b", re.I), "DMY"),
    (re.compile(rf"\b{_M}\s+{_D},?\s+{_Y}\b", re.I), "MDY"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ISO"),
]


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _date_from(kind: str, g: tuple[str, ...]) -> tuple[date, date | None]:
    if kind == "DMY-DMY":
        return date(int(g[2]), _month(g[1]), int(g[0])), date(int(g[5]), _month(g[4]), int(g[3]))
    if kind == "MDY-MDY":
        return date(int(g[2]), _month(g[0]), int(g[1])), date(int(g[5]), _month(g[3]), int(g[4]))
    if kind == "DM-DMY":
        return date(int(g[4]), _month(g[1]), int(g[0])), date(int(g[4]), _month(g[3]), int(g[2]))
    if kind == "MD-MDY":
        return date(int(g[4]), _month(g[0]), int(g[1])), date(int(g[4]), _month(g[2]), int(g[3]))
    if kind == "D-DMY":
        return date(int(g[3]), _month(g[2]), int(g[0])), date(int(g[3]), _month(g[2]), int(g[1]))
    if kind == "MD-DY":
        return date(int(g[3]), _month(g[0]), int(g[1])), date(int(g[3]), _month(g[0]), int(g[2]))
    if kind == "DMY":
        return date(int(g[2]), _month(g[1]), int(g[0])), None
    if kind == "MDY":
        return date(int(g[2]), _month(g[0]), int(g[1])), None
    return date(int(g[0]), int(g[1]), int(g[2])), None


def find_date(text: str) -> tuple[date, date | None, int, int] | None:
    """The first date or date range in ``text``: (start, end or None, match start, match end)."""
    best: tuple[int, int, date, date | None] | None = None
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                start, end = _date_from(kind, m.groups())
            except ValueError:
                continue
            if end is not None and end < start:
                continue
            key = (m.start(), -(m.end() - m.start()))
            if best is None or key < (best[0], -best[1]):
                best = (m.start(), m.end() - m.start(), start, end)
            break
    if best is None:
        return None
    return best[2], best[3], best[0], best[0] + best[1]
