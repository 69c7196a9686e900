"""Turn an uploaded summary (.txt, .md, .docx, .pdf) or pasted text into plain text for the parser.

Every failure a person can cause (empty file, wrong type, too big, a scan without text, a damaged
file) raises ``DocumentError`` with a message fit to show them as it is.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .parser import normalize_text

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_EXTENSIONS",
    "UPLOAD_LIMIT_MB",
    "DocumentError",
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


def check_size(size: int) -> None:
    """The one size limit of every document, uploaded, pasted or read from disk. Callers that
    know the size before reading (an upload, a file) call it first, so nothing huge is read."""
    if size > MAX_UPLOAD_BYTES:
        raise DocumentError(
            _("The file is %(size).1f MB, over the %(limit)s limit. Upload a smaller file, or paste the text instead.")
            % {"size": size / (1024 * 1024), "limit": f"{UPLOAD_LIMIT_MB} MB"}
        )


def read_document(*, filename: str, data: bytes) -> str:
    """The text of an uploaded document, ready for ``parse_summary``."""
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
    if ext == ".pdf":
        text = _read_pdf(data)
    elif ext == ".docx":
        text = _read_docx(data)
    else:
        text = _decode_text(data)
    text = normalize_text(text)
    if not text.strip():
        raise DocumentError(_("The document contains no text."))
    return text


def text_from_paste(text: str) -> str:
    """Pasted text, normalised like a file's; raises ``DocumentError`` when empty or too long."""
    if not text or not text.strip():
        raise DocumentError(_("Nothing was pasted: paste the text of the meeting summary."))
    check_size(len(text.encode("utf-8")))
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


def _read_docx(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(
            _("This Word file could not be opened: it may be damaged, or not really a .docx file.")
        ) from exc
    except Exception as exc:  # lxml and zip errors of every kind mean the same to the person
        raise DocumentError(
            _("This Word file could not be opened: it may be damaged, or not really a .docx file.")
        ) from exc
    return _DocxText(document).text()


class _DocxText:
    """Word → Markdown-ish text: bold runs as **bold**, headings as #, list numbering kept."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.counters: dict[tuple[str, int], int] = {}
        self.levels = self._numbering_levels()
        self.footnote_numbers: dict[str, int] = {}

    def text(self) -> str:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        lines: list[str] = []
        for block in self.document.iter_inner_content():
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
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if level and body.strip():
            return f"{'#' * int(level.group(1))} {body.strip().strip('*').strip()}"
        if style == "Title" and body.strip():
            return f"# {body.strip().strip('*').strip()}"
        prefix = self._list_prefix(paragraph)
        return f"{prefix}{body}" if prefix and body.strip() else body

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

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        for element in (paragraph._p, paragraph.style.element if paragraph.style is not None else None):
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

    def _list_prefix(self, paragraph: Any) -> str:
        found = self._num_pr(paragraph)
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
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
        try:
            root = etree.fromstring(part.blob)
        except etree.XMLSyntaxError:
            return []
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


def _read_pdf(data: bytes) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from .pdf_layout import pdf_text

    try:
        # Layout-aware: headers, footers and page numbers go, bold, italic and footnotes stay.
        text = pdf_text(data)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DocumentError(_("This PDF is password-protected: remove the password and upload it again.")) from exc
    except Exception as exc:  # pdfminer raises many kinds for a damaged file; all mean the same here
        raise DocumentError(_("This PDF could not be read: the file may be damaged.")) from exc
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
