"""Word-level differences between two texts, and passages anchored by quoted text. Pure: no Django.

Rewordings and versions are shown as the words removed and added (difflib over word tokens, so a
changed word is one change, not a run of letters). A passage is anchored by its quoted text and
the offset it had when quoted; the text may have changed since, so the quote is looked up again
and the occurrence nearest to the old offset wins.
"""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(operation, text) pieces, operation one of "equal", "delete", "insert", in reading order.

    A lone space kept between two changes is folded into them, so "the long term" → "ten years"
    reads as one replacement, not three."""
    a, b = tokens(before), tokens(after)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    opcodes = matcher.get_opcodes()
    pieces: list[tuple[str, str]] = []
    removed, added = "", ""
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        kept = "".join(a[i1:i2])
        between = 0 < index < len(opcodes) - 1 and (removed or added)
        if op == "equal" and not (between and kept.isspace()):
            if removed:
                pieces.append(("delete", removed))
            if added:
                pieces.append(("insert", added))
            removed, added = "", ""
            pieces.append(("equal", kept))
            continue
        removed += kept
        added += "".join(b[j1:j2])
    if removed:
        pieces.append(("delete", removed))
    if added:
        pieces.append(("insert", added))
    return pieces


def locate(text: str, quote: str, offset: int | None = None) -> int | None:
    """Where ``quote`` stands in ``text``: the occurrence nearest ``offset``; None if it is gone."""
    if not quote:
        return None
    found: list[int] = []
    start = text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    if not found:
        return None
    return min(found, key=lambda at: abs(at - (offset or 0)))


def replace_passage(text: str, quote: str, offset: int | None, replacement: str) -> str | None:
    """``text`` with the quoted passage replaced; None when the passage is no longer there."""
    at = locate(text, quote, offset)
    if at is None:
        return None
    return text[:at] + replacement + text[at + len(quote) :]
