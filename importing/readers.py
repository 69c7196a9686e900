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
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .parser import normalize_text
from .word_layout import NotesUnreadable, WordText, word_text

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_EXTENSIONS",
    "UPLOAD_LIMIT_MB",
    "DocumentError",
    "Reading",
    "check_document",
    "check_size",
    "read_document",
    "read_upload",
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


@dataclass(frozen=True)
class Reading:
    """A document's text, and whether it is the text with every tracked change accepted (a Word
    file with tracked changes or comments, which the text leaves out): the preview says so."""

    text: str
    accepted_changes_only: bool = False


def read_document(*, filename: str, data: bytes, time_limit: float | None = None) -> str:
    """The text of an uploaded document, ready for ``parse_summary``. With ``time_limit``
    (seconds) a Word or PDF file still being read after that long is given up: the check is
    cooperative (between paragraphs and pages), so it also holds where no worker enforces one."""
    return read_upload(filename=filename, data=data, time_limit=time_limit).text


def read_upload(*, filename: str, data: bytes, time_limit: float | None = None) -> Reading:
    """``read_document``, with what the preview tells about the reading."""
    ext = check_document(filename=filename, data=data)
    deadline = _Deadline(time_limit)
    accepted_only = False
    if ext == ".pdf":
        text = _read_pdf(data, deadline)
    elif ext == ".docx":
        word = _read_docx(data, deadline)
        text, accepted_only = word.text, word.accepted_changes_only
    else:
        text = _decode_text(data)
    text = normalize_text(text)
    if not text.strip():
        raise DocumentError(_("The document contains no text."))
    return Reading(text, accepted_only)


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


def _read_docx(data: bytes, deadline: _Deadline | None = None) -> WordText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(_(_DAMAGED_DOCX)) from exc
    except Exception as exc:  # lxml and zip errors of every kind mean the same to the person
        raise DocumentError(_(_DAMAGED_DOCX)) from exc
    _check_paragraph_count(document)
    try:
        # Tracked changes accepted, comments ignored, numbering, notes, bold and italic kept.
        return word_text(document, on_block=(deadline or _Deadline(None)).check)
    except NotesUnreadable as exc:
        if exc.doctype:
            raise DocumentError(
                _(
                    "This Word file's footnotes contain a document type declaration (DOCTYPE), which Word "
                    "never writes, so they were not read. Save the file again from Word, or paste the text."
                )
            ) from exc
        raise DocumentError(
            _("This Word file's footnotes could not be read: the file may be damaged. Paste the text instead.")
        ) from exc


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
