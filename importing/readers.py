"""Turn an uploaded summary (.txt, .md, .docx, .pdf) or pasted text into plain text for the parser.

Every failure a person can cause (empty file, wrong type, too big, a scan without text, a damaged
file) raises ``DocumentError`` with a message fit to show them as it is.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .parser import normalize_text

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_EXTENSIONS",
    "UPLOAD_LIMIT_MB",
    "DocumentError",
    "check_document",
    "check_size",
    "read_document",
    "text_from_paste",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_LIMIT_MB = f"{MAX_UPLOAD_BYTES / (1024 * 1024):g}"
SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
_SUPPORTED_HUMAN = ".txt, .md, .docx, .pdf"  # no "or": it stands in translated sentences


class DocumentError(ValueError):
    """A document that cannot be read; ``message`` says why, for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_size(size: int) -> None:
    """The one size limit of every document, uploaded, pasted or read from disk. Callers that
    know the size before reading (an upload, a file) call it first, so nothing huge is read."""
    if size > MAX_UPLOAD_BYTES:
        raise DocumentError(
            _("The file is %(size)s MB, over the %(limit)s limit. Upload a smaller file, or paste the text instead.")
            % {"size": _mb(size), "limit": f"{UPLOAD_LIMIT_MB} MB"}
        )


def check_document(*, filename: str, data: bytes) -> str:
    """The cheap checks, before anything is extracted: size, type, and for Word and PDF what the
    file would expand to (zip members' declared sizes, the PDF's page count). Returns the type
    (".txt", ".md", ".docx" or ".pdf"); raises ``DocumentError``. Milliseconds even for a bomb,
    so the upload form runs it in the request and only a file that passes is read."""
    ext = _document_type(filename=filename, data=data)
    if ext == ".docx":
        _check_docx_archive(data)
    elif ext == ".pdf":
        _check_pdf_pages(data)
    return ext


def read_document(*, filename: str, data: bytes, time_limit: float | None = None) -> str:
    """The text of an uploaded document, ready for ``parse_summary``. With ``time_limit``
    (seconds) a Word or PDF file still being read after that long is given up: the check is
    cooperative (between paragraphs and pages), so it also holds where no worker enforces one."""
    ext = check_document(filename=filename, data=data)
    deadline = _Deadline(time_limit)
    if ext == ".pdf":
        text = _read_pdf(data, deadline)
    elif ext == ".docx":
        text = _read_docx(data, deadline)
    else:
        text = _decode_text(data)
    text = normalize_text(text)
    if not text.strip():
        raise DocumentError(_("The document contains no text."))
    return text


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise DocumentError(
                _(
                    "Reading this file took longer than %(limit)s seconds, so it was stopped. "
                    "Save it as a smaller or simpler file (or as text) and upload it again, or paste the text."
                )
                % {"limit": f"{self.seconds:g}"}
            )


def _document_type(*, filename: str, data: bytes) -> str:
    ext = PurePath(filename or "").suffix.lower()
    if not data:
        raise DocumentError(_("The file is empty."))
    check_size(len(data))
    # The content decides when a name lies (a PDF saved as .txt is still a PDF).
    if data.startswith(b"%PDF-"):
        ext = ".pdf"
    elif data.startswith(b"PK\x03\x04") and ext in (".txt", ".md", ".docx", ""):
        ext = ".docx"
    if ext == ".doc":
        raise DocumentError(_("Old Word .doc files are not supported: save it as .docx (or PDF) and upload it again."))
    if ext not in SUPPORTED_EXTENSIONS:
        if ext:
            message = _("“%(ext)s” files are not supported. Upload a %(supported)s file, or paste the text.")
        else:
            message = _("Files without an extension are not supported. Upload a %(supported)s file, or paste the text.")
        raise DocumentError(message % {"ext": ext, "supported": _SUPPORTED_HUMAN})
    return ext


def text_from_paste(text: str) -> str:
    """Pasted text, normalised like a file's; raises ``DocumentError`` when empty or too long."""
    if not text or not text.strip():
        raise DocumentError(_("Nothing was pasted: paste the text of the meeting summary."))
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise DocumentError(
            _(
                "The pasted text is %(size)s MB, over the %(limit)s limit. "
                "Paste a shorter text, or import the summary in parts."
            )
            % {"size": _mb(size), "limit": f"{UPLOAD_LIMIT_MB} MB"}
        )
    return normalize_text(text)


# ---------------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode_text(data: bytes) -> str:
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(_("The text file could not be decoded: it is not valid text.")) from exc
            break
    if text is None:
        text = _decode_utf16_without_bom(data)
    if text is None:
        if b"\x00" in data:
            raise DocumentError(_("This does not look like a text file (it contains binary data)."))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")  # Windows "ANSI" text, as Notepad used to save it
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    _("The text file could not be decoded: save it as UTF-8 text and upload it again.")
                ) from exc
    if _looks_binary(text):
        raise DocumentError(_("This does not look like a text file (it contains binary data)."))
    return text


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark (some Windows tools do): text in a Latin or
    Cyrillic script then has a NUL in every other byte, on the odd side for little-endian."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        encoding = "utf-16-le"
    elif even > half * 0.3 and odd < half * 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    odd = sum(
        1 for c in sample if (unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t\x0c") or c == "\ufffd"
    )
    return odd > max(2, len(sample) // 100)


# ---------------------------------------------------------------------------------------------
# Word (.docx)
# ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MB = 1024 * 1024
_DAMAGED_DOCX = gettext_noop("This Word file could not be opened: it may be damaged, or not really a .docx file.")


def _check_docx_archive(data: bytes) -> None:
    """Refuse a zip bomb from its directory alone, before one byte is decompressed. The declared
    sizes can be trusted as an upper bound: zipfile stops at a member's declared size and fails
    its CRC check, so a member that lies about its size cannot expand past it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(_(_DAMAGED_DOCX)) from exc
    limit = settings.IMPORT_DOCX_MAX_EXPANDED_MB * _MB
    total = sum(m.file_size for m in members)
    if total > limit:
        raise DocumentError(
            _(
                "This Word file expands to %(size)s MB; the limit is %(limit)s MB. "
                "Save the summary without large images or embedded files, or paste its text."
            )
            % {"size": f"{total / _MB:.0f}", "limit": settings.IMPORT_DOCX_MAX_EXPANDED_MB}
        )
    ratio = settings.IMPORT_DOCX_MAX_RATIO
    for member in members:
        # Small parts may compress very well (a styles file); only large ones are a threat.
        if member.file_size > _MB and member.file_size > ratio * max(member.compress_size, 1):
            raise DocumentError(
                _(
                    "This Word file's part %(part)s expands %(ratio)s times (to %(size)s MB); "
                    "the limit is %(limit)s times. Word never writes that: the file was made to be hard to read."
                )
                % {
                    "part": member.filename,
                    "ratio": f"{member.file_size / max(member.compress_size, 1):.0f}",
                    "size": f"{member.file_size / _MB:.0f}",
                    "limit": ratio,
                }
            )


def _check_paragraph_count(document: Any) -> None:
    """Paragraphs are counted on the parsed tree (lxml, in C, fast) before any is read through
    python-docx (slow per paragraph), which is where the time would go."""
    limit = settings.IMPORT_MAX_PARAGRAPHS
    count = sum(1 for _p in document.element.body.iter(f"{_W}p"))
    if count > limit:
        raise DocumentError(
            _("This Word file has %(count)s paragraphs; the limit is %(limit)s. Import the summary in parts.")
            % {"count": f"{count:,}", "limit": f"{limit:,}"}
        )


def _read_docx(data: bytes, deadline: _Deadline | None = None) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(_(_DAMAGED_DOCX)) from exc
    except Exception as exc:  # lxml and zip errors of every kind mean the same to the person
        raise DocumentError(_(_DAMAGED_DOCX)) from exc
    _check_paragraph_count(document)
    return _DocxText(document, deadline or _Deadline(None)).text()


class _DocxText:
    """Word → Markdown-ish text: bold runs as **bold**, headings as #, list numbering kept."""

    def __init__(self, document: Any, deadline: _Deadline) -> None:
        self.document = document
        self.deadline = deadline
        # python-docx resolves ``paragraph.style`` through the styles part on every access;
        # each style is looked up once here, by its id.
        self.styles: dict[str | None, Any] = {}
        self.counters: dict[tuple[str, int], int] = {}
        self.levels = self._numbering_levels()
        self.footnote_numbers: dict[str, int] = {}

    def text(self) -> str:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        lines: list[str] = []
        for k, block in enumerate(self.document.iter_inner_content()):
            if k % 200 == 0:
                self.deadline.check()
            if isinstance(block, Paragraph):
                lines.append(self._paragraph(block))
            elif isinstance(block, Table):
                lines.extend(self._table(block))
                lines.append("")
        notes = self._footnotes()
        if notes:
            lines.append("")
            lines.extend(notes)
        return "\n".join(lines)

    def _table(self, table: Any) -> Iterator[str]:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = " ".join(self._paragraph(p) for p in cell.paragraphs).strip()
                if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                    cells.append(text)
            if cells:
                yield " | ".join(cells)

    def _paragraph(self, paragraph: Any) -> str:
        from docx.text.hyperlink import Hyperlink

        pieces: list[tuple[str, bool]] = []
        for item in paragraph.iter_inner_content():
            runs = item.runs if isinstance(item, Hyperlink) else [item]
            for run in runs:
                refs = run._r.findall(f"{_W}footnoteReference")
                text = run.text
                if refs:
                    text += "".join(f"[^{self._footnote_number(r.get(f'{_W}id', ''))}]" for r in refs)
                if text:
                    pieces.append((text, self._bold(run)))
        body = _bold_markup(pieces)
        style_obj = self._style(paragraph)
        style = (style_obj.name if style_obj is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if level and body.strip():
            return f"{'#' * int(level.group(1))} {body.strip().strip('*').strip()}"
        if style == "Title" and body.strip():
            return f"# {body.strip().strip('*').strip()}"
        prefix = self._list_prefix(paragraph, style_obj, style)
        return f"{prefix}{body}" if prefix and body.strip() else body

    def _style(self, paragraph: Any) -> Any:
        style_id = paragraph._p.style  # the pStyle id, read from the element without a lookup
        if style_id not in self.styles:
            self.styles[style_id] = paragraph.style
        return self.styles[style_id]

    @staticmethod
    def _bold(run: Any) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        style = run.style
        return bool(style is not None and style.font is not None and style.font.bold)

    # ---- list numbering: Word stores the formats; the numbers are counted here -------------

    def _numbering_levels(self) -> dict[str, dict[int, tuple[str, str, int]]]:
        """numId → ilvl → (format, level text, start)."""
        try:
            numbering = self.document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return {}
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.findall(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    txt.get(f"{_W}val", "") if txt is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        out: dict[str, dict[int, tuple[str, str, int]]] = {}
        for num in numbering.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                out[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})
        return out

    def _num_pr(self, paragraph: Any, style_obj: Any) -> tuple[str, int] | None:
        for element in (paragraph._p, style_obj.element if style_obj is not None else None):
            if element is None:
                continue
            ppr = element.find(f"{_W}pPr")
            num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if num_pr is None:
                continue
            num_id = num_pr.find(f"{_W}numId")
            ilvl = num_pr.find(f"{_W}ilvl")
            value = num_id.get(f"{_W}val", "0") if num_id is not None else "0"
            if value == "0":
                return None
            return value, int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        return None

    def _list_prefix(self, paragraph: Any, style_obj: Any, style: str) -> str:
        found = self._num_pr(paragraph, style_obj)
        if found is None:
            return "- " if style.startswith("List Bullet") else ""
        num_id, ilvl = found
        levels = self.levels.get(num_id, {})
        fmt, pattern, start = levels.get(ilvl, ("bullet", "", 1))
        if fmt in ("bullet", "none") or not pattern:
            return "  " * ilvl + "- "
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]

        def level_text(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            lfmt, _, lstart = levels.get(lvl, ("decimal", "", 1))
            return _format_number(self.counters.get((num_id, lvl), lstart), lfmt)

        return "  " * ilvl + re.sub(r"%(\d)", level_text, pattern) + " "

    # ---- footnotes -------------------------------------------------------------------------

    def _footnote_number(self, note_id: str) -> int:
        if note_id not in self.footnote_numbers:
            self.footnote_numbers[note_id] = len(self.footnote_numbers) + 1
        return self.footnote_numbers[note_id]

    def _footnotes(self) -> list[str]:
        if not self.footnote_numbers:
            return []
        from lxml import etree

        part = None
        for rel in self.document.part.rels.values():
            if rel.reltype.endswith("/footnotes") and not rel.is_external:
                part = rel.target_part
                break
        if part is None:
            return []
        # Never resolve entities nor fetch a DTD (XXE, billion laughs). Word never writes a
        # DOCTYPE, so one is refused with a message rather than read half or dropped.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            root = etree.fromstring(part.blob, parser)
        except etree.XMLSyntaxError as exc:
            raise DocumentError(
                _("This Word file's footnotes could not be read: the file may be damaged. Paste the text instead.")
            ) from exc
        if root.getroottree().docinfo.doctype:
            raise DocumentError(
                _(
                    "This Word file's footnotes contain a document type declaration (DOCTYPE), which Word "
                    "never writes, so they were not read. Save the file again from Word, or paste the text."
                )
            )
        texts: dict[str, str] = {}
        for note in root.findall(f"{_W}footnote"):
            paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.findall(f"{_W}p")]
            texts[note.get(f"{_W}id", "")] = " ".join(p.strip() for p in paragraphs if p.strip())
        return [
            f"[^{number}]: {texts.get(note_id, '')}".rstrip()
            for note_id, number in sorted(self.footnote_numbers.items(), key=lambda item: item[1])
        ]


def _bold_markup(pieces: list[tuple[str, bool]]) -> str:
    merged: list[list[Any]] = []
    for text, bold in pieces:
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    out: list[str] = []
    for text, bold in merged:
        if bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{lead}**{text.strip()}**{trail}")
        else:
            out.append(text)
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _to_roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

_NO_TEXT_LAYER = gettext_noop(
    "This PDF has no text layer (it is probably a scan), so its text cannot be read. "
    "Upload the original Word file or a PDF exported from it, or paste the text."
)


_DAMAGED_PDF = gettext_noop("This PDF could not be read: the file may be damaged.")


def _pdf_page_count(data: bytes) -> int | None:
    """The page count the PDF declares (its page tree's /Count), read without touching a page;
    None when the file does not say. ``_read_pdf`` stops at the limit whatever was declared."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError(_("This PDF is password-protected: remove the password and upload it again.")) from exc
    except Exception:  # a damaged or odd file: the extraction says what is wrong, within the limit
        return None
    return count if isinstance(count, int) else None


def _pages_refused(count: int) -> DocumentError:
    return DocumentError(
        _(
            "This PDF has %(count)s pages; the limit is %(limit)s. "
            "A meeting summary is rarely longer: upload only the summary, or paste its text."
        )
        % {"count": f"{count:,}", "limit": f"{settings.IMPORT_MAX_PDF_PAGES:,}"}
    )


def _check_pdf_pages(data: bytes) -> None:
    count = _pdf_page_count(data)
    if count is not None and count > settings.IMPORT_MAX_PDF_PAGES:
        raise _pages_refused(count)


def _read_pdf(data: bytes, deadline: _Deadline | None = None) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from .pdf_glyphs import PageLimitExceeded
    from .pdf_layout import pdf_text

    deadline = deadline or _Deadline(None)
    limit = settings.IMPORT_MAX_PDF_PAGES
    try:
        # Layout-aware: headers, footers and page numbers go, bold, italic and footnotes stay.
        # max_pages: a file whose page tree understates its pages still stops one past the limit.
        text = pdf_text(data, max_pages=limit, on_page=deadline.check)
    except PageLimitExceeded as exc:
        raise _pages_refused(limit + 1) from exc
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError(_("This PDF is password-protected: remove the password and upload it again.")) from exc
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged file; all mean the same here
        raise DocumentError(_(_DAMAGED_PDF)) from exc
    visible = re.sub(r"\s+", "", text)
    if not visible:
        raise DocumentError(_(_NO_TEXT_LAYER))
    if visible.count("(cid:") * 6 > len(visible) // 2:
        raise DocumentError(
            _(
                "This PDF's text cannot be decoded (its fonts carry no character map). "
                "Upload the original Word file, or paste the text."
            )
        )
    return text
