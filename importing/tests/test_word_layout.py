"""Word reading: the Vienna seed as Word writes it (automatic numbering, real footnotes, styles),
with tracked changes and a comment, and small documents for each feature."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import docx
import pytest

from conftest import VIENNA, seed_text
from importing.parser import ParseResult, parse_summary
from importing.readers import read_document, read_upload
from importing.tests.corpus import (
    COMMENT_TEXT,
    DELETED_TEXT,
    _install_numbering,
    install_notes,
    note_reference,
    number_paragraph,
    word_docx,
)
from importing.tests.test_parser import words
from importing.tests.test_readers import counts
from importing.word_layout import word_text


@cache
def seed_word(tracked: bool) -> bytes:
    return word_docx(seed_text(VIENNA), tracked=tracked)


@cache
def seed_word_result(tracked: bool) -> ParseResult:
    return parse_summary(read_document(filename="vienna.docx", data=seed_word(tracked)))


def saved(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("tracked", [False, True])
def test_seed_word_file_parses_to_the_seed_structure(tracked: bool) -> None:
    expected = parse_summary(seed_text(VIENNA))
    result = seed_word_result(tracked)
    assert counts(result) == counts(expected)
    assert [r.headline for r in result.recommendations] == [r.headline for r in expected.recommendations]
    assert [words(r.body) for r in result.recommendations] == [words(r.body) for r in expected.recommendations]
    assert [words(p.text) for p in result.paragraphs] == [words(p.text) for p in expected.paragraphs]
    assert result.problems == []


def test_seed_word_file_numbers_come_from_automatic_numbering() -> None:
    """The file holds no typed numbers or letters: Word's list definitions number the items."""
    with zipfile.ZipFile(io.BytesIO(seed_word(False))) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<w:t>13. " not in body and "<w:t>a. " not in body
    assert body.count("<w:numId w:val=") == 13 + 18 + 6 + 31  # recommendations, sub-items, themes, paragraphs
    result = seed_word_result(False)
    assert [p.number for p in result.paragraphs] == list(range(1, 32))  # the paragraphs' list restarts


def test_seed_word_file_footnotes_are_real_notes_anchored_where_referenced() -> None:
    expected = parse_summary(seed_text(VIENNA))
    result = seed_word_result(False)
    assert [f.text for f in result.footnotes] == [f.text for f in expected.footnotes]
    anchors = [(f.anchor.kind, f.anchor.number) if f.anchor else None for f in result.footnotes]
    assert anchors == [("summary_title", None), ("paragraph", 10)]


def test_seed_word_file_keeps_italics_and_headings() -> None:
    text = read_document(filename="vienna.docx", data=seed_word(False))
    assert "discussed, *inter alia*:" in text
    assert "\n\n# Overview\n\n" in text and "\n\n## Opening Session\n\n" in text


def test_tracked_changes_accepted_and_comments_ignored() -> None:
    reading = read_upload(filename="vienna.docx", data=seed_word(True))
    assert reading.accepted_changes_only is True
    assert DELETED_TEXT not in reading.text
    assert COMMENT_TEXT not in reading.text


def test_file_without_tracked_changes_is_not_flagged() -> None:
    assert read_upload(filename="vienna.docx", data=seed_word(False)).accepted_changes_only is False


# --------------------------------------------------------------------------------------------
# Small documents
# --------------------------------------------------------------------------------------------


def numbered_document(items: list[tuple[str, str, int]]) -> docx.document.Document:
    """Paragraphs (list id, level, text) on the corpus's list definitions."""
    document = docx.Document()
    _install_numbering(document)
    for num_id, text, level in items:
        number_paragraph(document.add_paragraph(text), num_id, level)
    return document


def test_numbering_restarts_continues_and_letters_sub_levels() -> None:
    document = numbered_document(
        [("90", "First", 0), ("90", "Sub one", 1), ("90", "Sub two", 1), ("90", "Second", 0), ("90", "Sub again", 1)]
    )
    document.add_heading("Between the lists", level=2)
    number_paragraph(document.add_paragraph("Continued"), "90", 0)
    number_paragraph(document.add_paragraph("Restarted"), "91", 0)
    number_paragraph(document.add_paragraph("Bullet"), "92", 0)
    lines = [line for line in word_text(document).text.split("\n") if line.strip()]
    assert lines == [
        "1. First",
        "  a. Sub one",
        "  b. Sub two",
        "2. Second",
        "  a. Sub again",
        "## Between the lists",
        "3. Continued",
        "1. Restarted",
        "- Bullet",
    ]


def test_bold_and_italic_runs_become_markdown() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Headline:").bold = True
    paragraph.add_run(" body with ")
    paragraph.add_run("emphasis").italic = True
    run = paragraph.add_run(" both")
    run.bold = run.italic = True
    assert word_text(document).text == "**Headline:** body with *emphasis* ***both***"


def test_footnotes_and_endnotes_numbered_in_reading_order() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("A claim")
    note_reference(paragraph, "footnote", 7)
    paragraph.add_run(" and another")
    note_reference(paragraph, "endnote", 3)
    paragraph.add_run(".")
    install_notes(document, "footnote", {7: "The foot of the page."})
    install_notes(document, "endnote", {3: "The end of the document."})
    text = word_text(docx.Document(io.BytesIO(saved(document)))).text
    assert text == "A claim[^1] and another[^2].\n\n[^1]: The foot of the page.\n\n[^2]: The end of the document."


def test_tables_become_text_rows() -> None:
    document = docx.Document()
    document.add_paragraph("Participants:")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Organization", "Role"), ("Prevention Network", "Convenor")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    assert word_text(document).text == "Participants:\n\nOrganization | Role\nPrevention Network | Convenor"


def test_superscript_digits_typed_by_hand_become_superscript_markers() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Summary")
    paragraph.add_run("1").font.superscript = True
    assert word_text(document).text == "Summary¹"
