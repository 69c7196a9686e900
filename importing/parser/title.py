"""Stage 4a, the title block: the lines above the first section, numbered item or prose.

They name the convening (often in two or three parts: the host conference, the kind of meeting),
its date and place, and the summary's own title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import find_date
from .lines import HOST_RE, KIND_ANY_RE, SESSION_RE, SUMMARY_TITLE_RE, Line, marker, section_of
from .places import Place, is_place_line, place_from_parts, split_place
from .text import SENTINEL_RE, ends_terminal, is_caps, join_text, plain_line, unmarked

# The title block never runs longer than this many lines.
_MAX_LINES = 25


@dataclass
class TitlePart:
    text: str
    is_host: bool  # names the host conference ("2017 OSCE-wide Counter-Terrorism Conference")
    last_index: int  # the line it ends on; -1 for words left over from a date or place line


@dataclass
class TitleBlock:
    parts: list[TitlePart] = field(default_factory=list)
    summary_title: str | None = None
    start: date | None = None
    end: date | None = None
    place: Place = field(default_factory=Place)
    # Footnote markers met here: (number, where), in reading order.
    markers: list[tuple[int, str]] = field(default_factory=list)
    # Where the body starts: the index of the first line after the title block.
    body_start: int = 0


def read_title_block(lines: list[Line]) -> TitleBlock:
    block = TitleBlock()
    i = 0
    seen_summary = False
    while i < len(lines) and i < _MAX_LINES:
        row = lines[i]
        plain = plain_line(row.text)
        if section_of(unmarked(plain)) or (SESSION_RE.match(unmarked(plain)) and not ends_terminal(plain)):
            break
        mk = marker(row.text)
        if mk is not None and mk.kind != "bullet":
            break
        # A date line is short and not a sentence ("On 3 May 2019 we met." is prose).
        found = find_date(unmarked(plain)) if len(plain) <= 160 and not plain.endswith(".") else None
        if found:
            _take_date(block, found, plain)
        elif is_place_line(unmarked(plain)):
            _take_place(block, split_place(plain))
        elif seen_summary:
            break
        elif SUMMARY_TITLE_RE.search(plain) and len(plain) <= 120 and not ends_terminal(plain.rstrip(".")):
            block.summary_title = plain.rstrip(".")
            seen_summary = True
        elif (
            row.text.startswith(("#", "**", "__")) or is_caps(plain) or (len(plain) <= 200 and not ends_terminal(plain))
        ):
            _take_title_part(block, plain, row, i)
        else:
            break
        i += 1
    block.body_start = i
    return block


def _take_title_part(block: TitleBlock, plain: str, row: Line, index: int) -> None:
    is_host = bool(HOST_RE.search(plain)) and not KIND_ANY_RE.search(plain)
    last = block.parts[-1] if block.parts else None
    if last is not None and not row.blank_before and not last.is_host and not is_host and last.last_index == index - 1:
        last.text = join_text(last.text, plain, "space")
        last.last_index = index
    else:
        block.parts.append(TitlePart(plain, is_host, index))


def _take_date(block: TitleBlock, found: tuple[date, date | None, int, int], plain: str) -> None:
    start, end, a, b = found
    bare = unmarked(plain)
    if block.start is None:
        block.start, block.end = start, end
    rest = f"{bare[:a]} {bare[b:]}"
    rest = re.sub(
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|on|from|held|in|at|date)\b",
        " ",
        rest,
        flags=re.I,
    )
    _take_place(block, split_place(rest))
    for n in SENTINEL_RE.findall(plain):
        block.markers.append((int(n), "title_block"))


def _take_place(block: TitleBlock, parts: list[str]) -> None:
    place, rest = place_from_parts([unmarked(p) for p in parts])
    block.place.city = block.place.city or place.city
    block.place.venue = block.place.venue or place.venue
    block.place.country = block.place.country or place.country
    if rest:
        block.parts.append(TitlePart(", ".join(rest), False, -1))
    for n in SENTINEL_RE.findall(" ".join(parts)):
        block.markers.append((int(n), "title_block"))
