"""Document readers: .txt/.md/.docx/.pdf to text, the seeds through Word and PDF, and bad input."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache

import docx
import pytest
import weasyprint

from conftest import ROUNDTABLE, VIENNA, seed_text
from importing.parser import ParseResult, parse_summary
from importing.readers import MAX_UPLOAD_BYTES, DocumentError, read_document, text_from_paste
from importing.tests.test_parser import words

# --------------------------------------------------------------------------------------------
# Builders: the seed text as a Word file and as a PDF, the way a secretariat would have them
# --------------------------------------------------------------------------------------------


def docx_from_text(text: str) -> bytes:
    """One Word paragraph per source line; **...** as bold runs (bold may span lines of a block)."""
    document = docx.Document()
    bold = False
    for line in text.split("\n"):
        paragraph = document.add_paragraph()
        if not line.strip():
            bold = False
        for k, segment in enumerate(line.split("**")):
            if k:
                bold = not bold
            if segment:
                paragraph.add_run(segment).bold = bold
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_from_text(text: str) -> str:
    """Simple HTML: # headings, - lines as list items, other lines as paragraphs, links as links."""
    text = re.sub(r"\\([()\[\]])", r"\1", text)
    out: list[str] = []
    in_list = False
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            if in_list:
                out.append("</ul>")
                in_list = False
            continue
        h = html.escape(s, quote=False)
        h = re.sub(r"\[([^\]]*)\]\(#\)", r'<a href="#">\1</a>', h)
        h = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", h).replace("**", "")
        h = re.sub(r"(?<!\*)\*([^*]+)\*(?!\*)", r"<i>\1</i>", h)
        heading = re.match(r"^(#{1,6})\s+(.*)$", h)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
            continue
        if h.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{h[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{h}</p>")
    return "<!doctype html><html><body>" + "\n".join(out) + "</body></html>"


def pdf_from_html(markup: str) -> bytes:
    result = weasyprint.HTML(string=markup).write_pdf()
    assert isinstance(result, bytes)
    return result


@cache
def seed_document(name: str, fmt: str) -> bytes:
    text = seed_text(name)
    return docx_from_text(text) if fmt == "docx" else pdf_from_html(html_from_text(text))


@dataclass(frozen=True)
class Counts:
    recommendations: list[int]
    sub_items: dict[int, str]
    paragraphs: list[list[int]]
    footnotes: list[int]
    key_themes: int


def counts(result: ParseResult) -> Counts:
    return Counts(
        recommendations=[r.number for r in result.recommendations],
        sub_items={r.number: "".join(s.letter for s in r.sub_items) for r in result.recommendations if r.sub_items},
        paragraphs=[[p.number for p in s.paragraphs] for s in result.sessions],
        footnotes=[f.number for f in result.footnotes],
        key_themes=len(result.key_themes),
    )


# --------------------------------------------------------------------------------------------
# The seeds through Word and PDF
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", [VIENNA, ROUNDTABLE])
def test_seed_converted_imports_with_same_counts(name: str, fmt: str) -> None:
    expected = parse_summary(seed_text(name))
    text = read_document(filename=f"summary.{fmt}", data=seed_document(name, fmt))
    result = parse_summary(text)
    assert counts(result) == counts(expected)
    assert (result.start_date, result.city, result.summary_title, result.kind) == (
        expected.start_date,
        expected.city,
        expected.summary_title,
        expected.kind,
    )
    assert result.problems == []


def test_seed_docx_reads_exactly_like_text() -> None:
    text = read_document(filename="vienna.docx", data=seed_document(VIENNA, "docx"))
    assert parse_summary(text).to_dict() == parse_summary(seed_text(VIENNA)).to_dict()


def test_seed_pdf_footnotes_linked_and_kept_out_of_themes() -> None:
    result = parse_summary(read_document(filename="vienna.pdf", data=seed_document(VIENNA, "pdf")))
    first, second = result.footnotes
    assert first.anchor is not None and first.anchor.kind == "summary_title"
    assert second.anchor is not None and (second.anchor.kind, second.anchor.number) == ("paragraph", 10)
    assert all(first.text[:30] not in theme for theme in result.key_themes)


def test_seed_pdf_page_breaks_joined() -> None:
    """Recommendation 12, sub-item 2.e and paragraph 29 come back whole from the PDF too."""
    expected = parse_summary(seed_text(VIENNA))
    result = parse_summary(read_document(filename="vienna.pdf", data=seed_document(VIENNA, "pdf")))
    rec12, want12 = result.recommendations[11], expected.recommendations[11]
    # The PDF keeps the headline's bold, so headline and body separate as in the text.
    assert (rec12.headline, words(rec12.body)) == (want12.headline, words(want12.body))
    assert result.recommendations[1].sub_items[4].text == expected.recommendations[1].sub_items[4].text
    assert result.paragraphs[28].text == expected.paragraphs[28].text


def test_seed_pdf_with_plain_digit_superscripts_links_footnotes() -> None:
    """<sup>1</sup> comes back from the PDF as a plain digit glued to the word."""
    markup = html_from_text(seed_text(VIENNA)).replace("¹", "<sup>1</sup>").replace("²", "<sup>2</sup>")
    result = parse_summary(read_document(filename="sup.pdf", data=pdf_from_html(markup)))
    assert counts(result) == counts(parse_summary(seed_text(VIENNA)))
    assert result.summary_title == "Meeting Summary and Recommendations"
    anchors = [(f.anchor.kind, f.anchor.number) if f.anchor else None for f in result.footnotes]
    assert anchors == [("summary_title", None), ("paragraph", 10)]
    assert result.problems == []


@pytest.mark.parametrize("name", [VIENNA, ROUNDTABLE])
def test_seed_pdf_text_from_another_extractor_parses_with_same_counts(name: str) -> None:
    """Text as plain pdfminer (or a viewer's copy and paste) gives it: bullets apart from their items."""
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(seed_document(name, "pdf")))
    assert counts(parse_summary(text)) == counts(parse_summary(seed_text(name)))


def test_roundtable_pdf_has_no_link_residue() -> None:
    result = parse_summary(read_document(filename="rt.pdf", data=seed_document(ROUNDTABLE, "pdf")))
    assert "(#)" not in str(result.to_dict())
    assert result.title.startswith("Roundtable Discussion")


# --------------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------------


def test_read_txt_utf8() -> None:
    assert read_document(filename="a.txt", data="Café – “quoted”\r\nnext".encode()) == "Café – “quoted”\nnext"


def test_read_txt_utf8_with_bom() -> None:
    assert read_document(filename="a.txt", data=b"\xef\xbb\xbfHello") == "Hello"


def test_read_txt_cp1252_fallback() -> None:
    data = "Café – “quoted”".encode("cp1252")
    assert read_document(filename="a.TXT", data=data) == "Café – “quoted”"


def test_read_txt_utf16_with_bom() -> None:
    assert read_document(filename="a.txt", data="Hello\r\nWorld".encode("utf-16")) == "Hello\nWorld"


def test_read_md_keeps_markdown() -> None:
    data = b"## **Title**\n\n1. Text with [a link](#)."
    assert read_document(filename="notes.md", data=data) == "## **Title**\n\n1. Text with [a link](#)."


def test_read_misnamed_pdf_by_content() -> None:
    data = pdf_from_html("<p>Hello from a PDF</p>")
    assert "Hello from a PDF" in read_document(filename="summary.txt", data=data)


def test_text_from_paste_normalises() -> None:
    assert text_from_paste("\ufeffA\u00a0b\r\nc\u200b") == "A b\nc"


def test_text_from_paste_empty_rejected() -> None:
    with pytest.raises(DocumentError, match="Nothing was pasted"):
        text_from_paste("  \n ")


def test_text_from_paste_too_long_rejected() -> None:
    with pytest.raises(DocumentError, match="5 MB"):
        text_from_paste("x" * (MAX_UPLOAD_BYTES + 1))


# --------------------------------------------------------------------------------------------
# Word files
# --------------------------------------------------------------------------------------------


def test_read_docx_bold_headings_and_lists() -> None:
    document = docx.Document()
    document.add_heading("Meeting Summary", level=2)
    paragraph = document.add_paragraph()
    paragraph.add_run("Headline:").bold = True
    paragraph.add_run(" body text.")
    document.add_paragraph("First point", style="List Number")
    document.add_paragraph("Second point", style="List Number")
    document.add_paragraph("A bullet", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell one"
    table.cell(0, 1).text = "Cell two"
    out = io.BytesIO()
    document.save(out)
    text = read_document(filename="s.docx", data=out.getvalue())
    # Each Word paragraph is a block of its own; the items of a list follow line by line.
    assert text.split("\n") == [
        "## Meeting Summary",
        "",
        "**Headline:** body text.",
        "",
        "1. First point",
        "2. Second point",
        "- A bullet",
        "",
        "Cell one | Cell two",
    ]


def _minimal_docx(document_xml: str, footnotes_xml: str) -> bytes:
    """A hand-made .docx with a footnotes part (python-docx cannot write footnotes)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.footnotes+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/footnotes" Target="footnotes.xml"/></Relationships>'
        ),
        "word/document.xml": f'<?xml version="1.0"?><w:document {w}><w:body>{document_xml}</w:body></w:document>',
        "word/footnotes.xml": f'<?xml version="1.0"?><w:footnotes {w}>{footnotes_xml}</w:footnotes>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_read_docx_footnotes_as_markdown_markers() -> None:
    body = (
        "<w:p><w:r><w:t>Roundtable</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>1 June 2018, Oslo</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">1. Kosovo</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t xml:space="preserve"> matters.</w:t></w:r></w:p>'
    )
    notes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>-</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="7"><w:p><w:r><w:t>A note on names.</w:t></w:r></w:p></w:footnote>'
    )
    text = read_document(filename="fn.docx", data=_minimal_docx(body, notes))
    assert "Kosovo[^1] matters." in text and text.endswith("[^1]: A note on names.")
    result = parse_summary(text)
    assert [(f.number, f.text) for f in result.footnotes] == [(1, "A note on names.")]
    assert result.paragraphs[0].text == "Kosovo matters."


# --------------------------------------------------------------------------------------------
# PDF files
# --------------------------------------------------------------------------------------------


def test_read_pdf_reattaches_list_bullets() -> None:
    data = pdf_from_html("<p>Intro:</p><ul><li>first item</li><li>second item</li></ul>")
    lines = [line for line in read_document(filename="l.pdf", data=data).split("\n") if line.strip()]
    assert lines == ["Intro:", "• first item", "• second item"]


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_read_empty_file_rejected() -> None:
    with pytest.raises(DocumentError, match="empty"):
        read_document(filename="a.txt", data=b"")


def test_read_whitespace_only_file_rejected() -> None:
    with pytest.raises(DocumentError, match="no text"):
        read_document(filename="a.md", data=b"  \n\n\t ")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # has NUL bytes
        bytes(range(1, 32)) * 200,  # control characters without NULs
        b"\x81\x8d\x8f\x90\x9d" * 50,  # neither UTF-8 nor cp1252
    ],
)
def test_read_binary_junk_rejected(data: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(filename="junk.txt", data=data)
    assert "text file" in info.value.message


def test_read_too_big_rejected_with_limit_in_mb() -> None:
    with pytest.raises(DocumentError) as info:
        read_document(filename="big.txt", data=b"a" * (MAX_UPLOAD_BYTES + 1))
    assert "5 MB" in info.value.message


@pytest.mark.parametrize(
    ("filename", "needle"), [("s.rtf", "“.rtf” files are not supported"), ("s.doc", "save it as .docx")]
)
def test_read_unsupported_extension_rejected(filename: str, needle: str) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(filename=filename, data=b"{\\rtf1 hello}")
    assert needle in info.value.message


def test_read_pdf_without_text_layer_rejected() -> None:
    scan = pdf_from_html(
        '<svg width="400" height="300" xmlns="http://www.w3.org/2000/svg">'
        '<rect x="10" y="10" width="380" height="280" fill="#888"/></svg>'
    )
    with pytest.raises(DocumentError) as info:
        read_document(filename="scan.pdf", data=scan)
    assert info.value.message.startswith("This PDF has no text layer (it is probably a scan)")


def test_read_corrupt_docx_rejected() -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    for data in (broken.getvalue(), b"PK\x03\x04" + b"\x00garbage" * 20, b"plain text pretending"):
        with pytest.raises(DocumentError, match="could not be opened"):
            read_document(filename="broken.docx", data=data)


def test_read_corrupt_pdf_rejected() -> None:
    with pytest.raises(DocumentError, match="could not be read"):
        read_document(filename="broken.pdf", data=b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")


def test_document_error_is_value_error_with_message() -> None:
    error = DocumentError("Something clear.")
    assert isinstance(error, ValueError) and error.message == str(error) == "Something clear."


def test_read_document_without_numbering_gives_paragraphs_and_problem() -> None:
    data = b"Roundtable on Things\n\n1 June 2018, Oslo\n\nA first block of prose.\n\nA second block."
    result = parse_summary(read_document(filename="plain.txt", data=data))
    assert [p.number for p in result.paragraphs] == [1, 2]
    assert any("No numbering was found" in p.message for p in result.problems)
