"""Citable references, ``CSD-2017-VIE/R2.b``: the one parser and the one formatter.

A reference is a convening's code, optionally a recommendation's number and a sub-item's letter.
People paste them from PDFs and e-mails, so the parser forgives what copying does: any case, a
space instead of the slash, the ``R`` left out, no dot before the letter, stray spaces or a
trailing slash. Pure: no Django, no database (``selectors.reference_target`` looks them up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_REFERENCE_LENGTH = 80
# Convening codes are letters, digits and hyphens (CSD-2017-VIE); a dot or underscore is allowed
# inside, never a slash or a space, which separate the recommendation.
_CODE = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?"
_REFERENCE_RE = re.compile(
    rf"""^\s*(?P<code>{_CODE})
        (?:\s*[/\s]\s*[Rr]?\s*(?P<number>\d{{1,6}})
           (?:\s*\.?\s*(?P<letter>[A-Za-z]{{1,3}}))?
        )?\s*/?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Reference:
    code: str
    number: int | None = None
    letter: str = ""

    def __str__(self) -> str:
        return format_reference(self.code, self.number, self.letter)

    @property
    def is_convening(self) -> bool:
        return self.number is None


def format_reference(code: str, number: int | None = None, letter: str = "") -> str:
    """``CSD-2017-VIE``, ``CSD-2017-VIE/R2`` or ``CSD-2017-VIE/R2.b``: how pages and PDFs print it."""
    if number is None:
        return code
    return f"{code}/R{number}" + (f".{letter}" if letter else "")


def parse_reference(text: str) -> Reference | None:
    """The reference ``text`` spells, or None. The code keeps the case it was typed in (codes are
    looked up case-insensitively); the letter is lower-cased, as sub-items are lettered."""
    if not text or len(text) > MAX_REFERENCE_LENGTH:
        return None
    match = _REFERENCE_RE.match(text.replace("+", " "))
    if not match:
        return None
    number = match["number"]
    if number is not None and int(number) < 1:
        return None
    return Reference(
        code=match["code"],
        number=int(number) if number is not None else None,
        letter=(match["letter"] or "").lower(),
    )


def looks_like_code(text: str) -> bool:
    """Could a single search word be a convening code? Codes carry a digit and a hyphen
    (CSD-2017-VIE); plain words never reach the database as a code lookup."""
    return bool(re.search(r"\d", text)) and "-" in text
