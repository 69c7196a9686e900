"""Import bombs and the limits that refuse them, from the zip directory or the PDF page tree,
before anything is extracted. Memory is asserted (tracemalloc); time is in
bench/bench_import_limits.py."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache

import docx
import pytest
from django.test import override_settings

from importing.readers import DocumentError, check_document, read_document
from importing.tests.bombs import docx_bomb, pdf_with_pages
from importing.tests.test_readers import _minimal_docx, docx_from_text

PEAK_LIMIT = 200 * 1024 * 1024


@cache
def _docx_bomb() -> bytes:
    return docx_bomb(expanded_mb=300)


def _refusal_and_peak(read: Callable[[], object]) -> tuple[str, int]:
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as info:
            read()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value.message, peak


def test_docx_bomb_is_refused_naming_the_size_and_the_limit() -> None:
    data = _docx_bomb()
    assert len(data) < 5 * 1024 * 1024  # small on disk: it passes the upload limit

    message, peak = _refusal_and_peak(lambda: read_document(filename="bomb.docx", data=data))

    assert message.startswith("This Word file expands to 300 MB; the limit is 25 MB.")
    assert peak < PEAK_LIMIT


def test_pdf_of_2000_pages_is_refused_naming_the_count_and_the_limit() -> None:
    data = pdf_with_pages(2000)

    message, peak = _refusal_and_peak(lambda: read_document(filename="long.pdf", data=data))

    assert message.startswith("This PDF has 2,000 pages; the limit is 200.")
    assert peak < PEAK_LIMIT


def test_cheap_checks_refuse_the_bombs_without_reading_them() -> None:
    with pytest.raises(DocumentError, match="expands to 300 MB"):
        check_document(filename="bomb.docx", data=_docx_bomb())
    with pytest.raises(DocumentError, match="2,000 pages"):
        check_document(filename="long.pdf", data=pdf_with_pages(2000))
    assert check_document(filename="short.pdf", data=pdf_with_pages(3)) == ".pdf"


def test_pdf_that_understates_its_pages_still_stops_at_the_limit() -> None:
    data = pdf_with_pages(12).replace(b"/Count 12", b"/Count 2 ")

    with override_settings(IMPORT_MAX_PDF_PAGES=5), pytest.raises(DocumentError) as info:
        read_document(filename="liar.pdf", data=data)

    assert "the limit is 5" in info.value.message


@override_settings(IMPORT_DOCX_MAX_EXPANDED_MB=100)
def test_docx_part_compressed_beyond_the_ratio_is_refused() -> None:
    data = docx_bomb(expanded_mb=20)

    with pytest.raises(DocumentError) as info:
        check_document(filename="dense.docx", data=data)

    assert "word/document.xml expands" in info.value.message and "the limit is 100 times" in info.value.message


def test_docx_over_the_paragraph_limit_is_refused() -> None:
    data = docx_from_text("\n".join(f"Line {k}" for k in range(30)))

    with override_settings(IMPORT_MAX_PARAGRAPHS=20), pytest.raises(DocumentError) as info:
        read_document(filename="many.docx", data=data)

    assert info.value.message.startswith("This Word file has 30 paragraphs; the limit is 20.")


def test_read_stops_at_its_time_limit() -> None:
    data = docx_from_text("\n".join(f"Line {k}" for k in range(400)))

    with pytest.raises(DocumentError) as info:
        read_document(filename="slow.docx", data=data, time_limit=1e-9)

    assert "took longer than" in info.value.message


def test_paragraph_style_is_looked_up_once_per_style(monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    for k in range(50):
        document.add_paragraph(f"Item {k}", style="List Bullet" if k % 2 else None)
    out = io.BytesIO()
    document.save(out)
    lookups = 0
    original = Paragraph.style

    def counting(self: Paragraph) -> object:
        nonlocal lookups
        lookups += 1
        return original.fget(self)  # type: ignore[attr-defined]  # a property

    monkeypatch.setattr(Paragraph, "style", property(counting))

    text = read_document(filename="styles.docx", data=out.getvalue())

    assert "- Item 1" in text
    # At most once per style ("Normal", "List Bullet"), never per paragraph: the Word reader
    # reads the styles part once and does without python-docx's lookup altogether.
    assert lookups <= 2


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(encoding: str) -> None:
    data = "Roundtable in Kyiv\r\n1 June 2018, Київ".encode(encoding)

    assert read_document(filename="summary.txt", data=data) == "Roundtable in Kyiv\n1 June 2018, Київ"


def test_footnotes_with_a_doctype_are_refused_not_dropped() -> None:
    body = '<w:p><w:r><w:t xml:space="preserve">1. Text</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    notes = '<w:footnote w:id="1"><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:footnote>'
    data = _minimal_docx(body, notes)
    doctype = b'<!DOCTYPE w:footnotes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(
        b"?><w:footnotes", b"?>" + doctype + b"<w:footnotes"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)

    with pytest.raises(DocumentError) as info:
        read_document(filename="xxe.docx", data=out.getvalue())

    assert "document type declaration" in info.value.message
    assert "root:" not in info.value.message
