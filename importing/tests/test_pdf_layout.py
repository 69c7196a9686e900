"""Layout-aware PDF reading: the printed Vienna seed and its two-column print, and the stages
on glyphs made up here (no PDF needed)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from conftest import VIENNA, seed_text
from importing.parser import ParseResult, parse_summary
from importing.pdf_glyphs import Glyph, PageGlyphs
from importing.pdf_layout import join_hyphenated, layout_text
from importing.readers import read_document
from importing.tests.corpus import RUNNING_HEADER, printed_pdf
from importing.tests.test_parser import words
from importing.tests.test_readers import counts

# --------------------------------------------------------------------------------------------
# The printed seed: bold headlines, footnotes at the foot of the page (the second one carried
# over a page break), a running header, "Page N of M" footers, hyphenation; in one or two columns
# --------------------------------------------------------------------------------------------


@cache
def printed(columns: int) -> tuple[str, ParseResult]:
    text = read_document(filename="vienna.pdf", data=printed_pdf(seed_text(VIENNA), columns=columns))
    return text, parse_summary(text)


@pytest.mark.parametrize("columns", [1, 2])
def test_printed_seed_parses_to_the_seed_structure(columns: int) -> None:
    expected = parse_summary(seed_text(VIENNA))
    _text, result = printed(columns)
    assert counts(result) == counts(expected)
    assert (result.title, result.summary_title, result.start_date, result.city) == (
        expected.title,
        expected.summary_title,
        expected.start_date,
        expected.city,
    )
    assert result.problems == []


@pytest.mark.parametrize("columns", [1, 2])
def test_printed_seed_drops_running_header_and_page_numbers(columns: int) -> None:
    text, _result = printed(columns)
    assert RUNNING_HEADER not in text
    assert "Page " not in text
    assert " of 11" not in text


@pytest.mark.parametrize("columns", [1, 2])
def test_printed_seed_keeps_bold_headlines(columns: int) -> None:
    expected = parse_summary(seed_text(VIENNA))
    _text, result = printed(columns)
    assert [r.headline for r in result.recommendations] == [r.headline for r in expected.recommendations]
    assert [words(r.body) for r in result.recommendations] == [words(r.body) for r in expected.recommendations]


def test_printed_seed_keeps_italics() -> None:
    text, _result = printed(1)
    assert "discussed, *inter alia*:" in text


@pytest.mark.parametrize("columns", [1, 2])
def test_printed_seed_footnotes_read_whole_and_anchored(columns: int) -> None:
    """Footnote 2 starts at the foot of one page and ends at the foot of the next."""
    expected = parse_summary(seed_text(VIENNA))
    _text, result = printed(columns)
    assert [f.text for f in result.footnotes] == [f.text for f in expected.footnotes]
    anchors = [(f.anchor.kind, f.anchor.number) if f.anchor else None for f in result.footnotes]
    assert anchors == [("summary_title", None), ("paragraph", 10)]
    assert all(note.text[:40] not in theme for note in result.footnotes for theme in result.key_themes)


@pytest.mark.parametrize("columns", [1, 2])
def test_printed_seed_paragraphs_come_back_word_for_word(columns: int) -> None:
    """Reading order, joins across columns and pages, and undone hyphenation: every paragraph
    holds the seed's words, real hyphens kept ("Counter-Terrorism", "community-level")."""
    expected = parse_summary(seed_text(VIENNA))
    text, result = printed(columns)
    assert [words(p.text) for p in result.paragraphs] == [words(p.text) for p in expected.paragraphs]
    assert "community-level" in text and "Counter-Terrorism" in text


# --------------------------------------------------------------------------------------------
# Hyphenation at a line's end
# --------------------------------------------------------------------------------------------

DOCUMENT_WORDS = Counter(
    {"participation": 2, "community-level": 1, "community": 5, "level": 2, "youth": 3, "focused": 1}
)


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("effective partici-", "pation of youth", "effective participation of youth"),
        ("other community-", "level actors", "other community-level actors"),
        ("OSCE-wide Counter-", "Terrorism Conference", "OSCE-wide Counter-Terrorism Conference"),
        ("the mentor-", "ing approaches", "the mentoring approaches"),
        ("youth-", "focused groups", "youth-focused groups"),
        ("a multi-", "dimensional nature", "a multi-dimensional nature"),
    ],
)
def test_join_hyphenated_keeps_only_real_hyphens(head: str, tail: str, joined: str) -> None:
    assert join_hyphenated(head, tail, DOCUMENT_WORDS) == joined


def test_join_hyphenated_follows_the_form_the_document_uses() -> None:
    document = Counter({"co-operation": 3, "cooperation": 1})
    assert join_hyphenated("co-", "operation", document) == "co-operation"
    assert join_hyphenated("co-", "operation", Counter({"cooperation": 2})) == "cooperation"


# --------------------------------------------------------------------------------------------
# The stages, on made-up glyphs: 6 pt per character, a 595 × 842 page
# --------------------------------------------------------------------------------------------


def glyph_line(text: str, *, x: float, base: float, size: float = 10.0, bold: bool = False) -> list[Glyph]:
    width = 0.6 * size
    return [Glyph(c, x + k * width, x + (k + 1) * width, base, size, bold=bold) for k, c in enumerate(text)]


def page(*lines: list[Glyph]) -> PageGlyphs:
    return PageGlyphs(595.0, 842.0, [g for line in lines for g in line])


WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
WORDS += ["iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"]


def body(n: int, top: float = 760.0) -> list[list[Glyph]]:
    """Four lines of text, different on every page."""
    return [
        glyph_line(f"Line {WORDS[(4 * n + k) % 16]} runs on in the body of page {n}", x=60, base=top - 14 * k)
        for k in range(4)
    ]


@pytest.mark.parametrize("number", ["{n}", "Page {n} of 4", "- {n} -", "{n}/4", "p. {n}"])
def test_page_numbers_in_common_forms_dropped(number: str) -> None:
    pages = [page(*body(n), glyph_line(number.format(n=n), x=290, base=40, size=9)) for n in range(1, 5)]
    text = layout_text(pages)
    assert text.count("Line") == 16
    numbers = [number.format(n=n) for n in range(1, 5)]
    assert [piece for piece in re.split(r"[\n\x0c]+", text) if piece in numbers] == []
    assert re.findall(r"page \d", text) == [f"page {n}" for n in range(1, 5) for _k in range(4)]


def test_running_header_dropped_on_most_pages_but_the_title_kept() -> None:
    first = page(glyph_line("Annual Report", x=60, base=800, size=14, bold=True), *body(1, top=700))
    later = [page(glyph_line("Annual Report · draft", x=400, base=810, size=8), *body(n)) for n in range(2, 5)]
    text = layout_text([first, *later])
    assert text.startswith("**Annual Report**\n\n")
    assert "draft" not in text


def test_superscript_call_becomes_a_footnote_marker_with_its_note() -> None:
    call = Glyph("1", 60 + 5 * 6.0, 64 + 5 * 6.0, 764.0, 6.5)
    note = glyph_line("1. A note at the foot of the page.", x=60, base=80, size=8)
    text = layout_text([page(glyph_line("Title", x=60, base=760), [call], *body(1, top=730), note)])
    assert text.startswith("Title[^1]\n\n")
    assert text.endswith("\n\n[^1]: A note at the foot of the page.")


def test_two_columns_read_left_then_right() -> None:
    left = [glyph_line(f"left {k} text of the first column", x=50, base=760 - 14 * k) for k in range(8)]
    right = [glyph_line(f"right {k} text of the second column", x=310, base=760 - 14 * k) for k in range(8)]
    text = layout_text([page(*left, *right)])
    tokens = [w for w in text.split() if w in ("left", "right")]
    assert tokens == ["left"] * 8 + ["right"] * 8
