"""Recognise the structure of a meeting summary from extracted text or Markdown.

A pure package (no Django, no I/O): ``parse_summary(text)`` returns a ``ParseResult`` holding the
title block, overview, key themes, recommendations with sub-items, sessions with numbered
paragraphs, footnotes linked to their markers, next steps and every problem met, with 1-based
source line numbers. Text it cannot place is kept (as paragraphs, with a problem), never dropped.

The input is typically text pulled out of a PDF or a Word file, so the parser expects page breaks
in the middle of paragraphs, lines wrapped at the page width, list markers indented unevenly,
footnote text sitting between the lines its page break fell on, and links that lost their targets.

It runs in stages, each a function of the one before's output (modules named after them):
text → lines → footnotes → title block and blocks (segment) → document structure.
"""

from __future__ import annotations

from .dates import find_date
from .footnotes import extract_footnotes
from .lines import merge_marker_only, running_text, split_lines
from .result import PROBLEM_KINDS, ParseResult, Problem
from .segment import segment
from .structure import build_result
from .text import normalize_text
from .title import read_title_block

# The result's parts (ParsedRecommendation, FootnoteAnchor...) are in .result.
__all__ = ["PROBLEM_KINDS", "ParseResult", "Problem", "find_date", "normalize_text", "parse_summary"]


def parse_summary(text: str) -> ParseResult:
    """Parse a meeting summary's text (plain, Markdown, or extracted from PDF/Word)."""
    raw = split_lines(text)
    notes = extract_footnotes(raw)
    lines, lost_bullets = merge_marker_only(notes.lines)
    title = read_title_block(lines)
    blocks = segment(lines, start=title.body_start, lost_bullets=lost_bullets)
    return build_result(title=title, notes=notes, blocks=blocks, layout_problems=running_text(raw))
