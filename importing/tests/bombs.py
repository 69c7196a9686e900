"""Hostile documents built at test time, small on disk: a Word file whose ``document.xml``
expands to hundreds of megabytes, and a PDF with thousands of (blank) pages."""

from __future__ import annotations

import io
import zipfile

import docx

_PARAGRAPH = b'<w:p><w:r><w:t xml:space="preserve">All work and no play makes a dull summary. </w:t></w:r></w:p>'


def docx_bomb(*, expanded_mb: int = 300) -> bytes:
    """A valid .docx (python-docx's template) whose document.xml expands to ``expanded_mb`` MB."""
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    chunk = _PARAGRAPH * (1024 * 1024 // len(_PARAGRAPH))
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for item in source.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, source.read(item))
                continue
            head, _, tail = source.read(item).partition(b"<w:body>")
            # compresslevel 1: the content is one paragraph repeated, as small at level 1 and faster.
            with archive.open("word/document.xml", "w") as member:
                member.write(head + b"<w:body>")
                written, target = 0, expanded_mb * 1024 * 1024 - 512 * 1024  # about that, with the other parts
                while written + len(chunk) <= target:
                    member.write(chunk)
                    written += len(chunk)
                member.write(b"<w:body>".join([b"", tail]))
    return out.getvalue()


def pdf_with_pages(count: int) -> bytes:
    """A minimal, valid PDF of ``count`` blank A4 pages, written by hand (xref and all)."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + k) for k in range(count)) + b"] /Count %d >>" % count,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
