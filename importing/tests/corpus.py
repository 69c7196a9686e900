"""The layout test corpus, printed at test time from a seed's text (never committed as copies).

``printed_pdf`` lays the summary out the way a secretariat's word processor prints it: bold
headlines, footnotes at the foot of their page (the second one split over a page break), a
running header, "Page N of M" footers, automatic hyphenation, optionally in two columns.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import weasyprint

from importing.parser import ParseResult

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
RUNNING_HEADER = "GSX Civil Society Day · Informal record"
_SUP_RUN_RE = re.compile(f"[{SUPERSCRIPTS}]+")


@dataclass
class _Seed:
    """The seed's lines with its footnote texts taken out; ``notes`` maps number → text."""

    lines: list[str]
    notes: dict[int, str] = field(default_factory=dict)


def _sup_number(digits: str) -> int:
    return int("".join(str(SUPERSCRIPTS.index(c)) for c in digits))


def _split_seed(text: str) -> _Seed:
    seed = _Seed(lines=[])
    for line in text.split("\n"):
        m = re.match(f"^([{SUPERSCRIPTS}]+)\\s+(.*)$", line.strip())
        if m:
            seed.notes[_sup_number(m.group(1))] = m.group(2)
        else:
            seed.lines.append(line)
    return seed


def _inline(text: str, bold: bool) -> tuple[str, bool]:
    """Markdown bold/italic and links to HTML; ``bold`` carries a ** left open on an earlier line."""
    text = re.sub(r"\\([()\[\]])", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    out: list[str] = []
    for k, segment in enumerate(text.split("**")):
        if k:
            bold = not bold
        if not segment:
            continue
        h = html.escape(segment, quote=False)
        h = re.sub(r"(?<!\*)\*([^*]+)\*(?!\*)", r"<i>\1</i>", h)
        out.append(f"<b>{h}</b>" if bold else h)
    return "".join(out), bold


def _footnote_calls(markup: str, notes: dict[int, str], split: int | None) -> tuple[str, str]:
    """Superscript markers → WeasyPrint footnotes; returns the markup and the continuation of a
    footnote split over the page break (empty unless the split note is called here)."""
    rest = ""

    def call(m: re.Match[str]) -> str:
        nonlocal rest
        n = _sup_number(m.group(0))
        note = notes.get(n, "")
        if n == split:
            cut = note.find(" ", len(note) // 2)
            note, rest = note[:cut], note[cut + 1 :]
        return f'<span class="fn">{html.escape(note, quote=False)}</span>'

    return _SUP_RUN_RE.sub(call, markup), rest


def _block(line: str, markup: str) -> str:
    s = line.strip()
    if re.match(r"^-\s+[a-z]\.\s", s):
        return f'<p class="sub">{markup.split(" ", 1)[1]}</p>'
    if s.startswith("- "):
        return f'<p class="bullet">•&nbsp;{markup[2:]}</p>'
    if re.match(r"^\d{1,2}\.\s", s):
        return f'<p class="num">{markup}</p>'
    if s.isupper() or re.match(r"^(Session \d|Opening Session)", s):
        return f"<h2>{markup}</h2>"
    return f"<p>{markup}</p>"


def printed_html(text: str, *, columns: int = 1) -> str:
    """The seed as HTML for print: footnote 2 runs over onto the next page."""
    seed = _split_seed(text)
    split = max(seed.notes) if len(seed.notes) > 1 else None
    body: list[str] = []
    bold = False
    carry = ""
    for line in seed.lines:
        if not line.strip():
            bold = False
            continue
        markup, bold = _inline(line.strip(), bold)
        markup, rest = _footnote_calls(markup, seed.notes, split)
        if carry:
            markup += f'<span class="fn cont">{html.escape(carry, quote=False)}</span>'
            carry = ""
        block = _block(line, markup)
        if rest:
            block = block.replace(">", ' style="break-after: page">', 1)
            carry = rest
        body.append(block)
    css = _PRINT_CSS.replace("COLUMNS", str(columns)).replace("HEADER", RUNNING_HEADER)
    return f'<!doctype html><html lang="en"><head><style>{css}</style></head><body>{"".join(body)}</body></html>'


_PRINT_CSS = """
@page { size: A4; margin: 22mm 20mm 24mm 20mm;
  @top-right { content: "HEADER"; font: 8pt "DejaVu Sans"; color: #555 }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans" } }
@page :first { @top-right { content: none } }
body { font: 10.5pt/1.4 "DejaVu Serif"; hyphens: auto; columns: COLUMNS; column-gap: 9mm }
p { margin: 0 0 5pt } h2 { font: bold 11pt "DejaVu Sans"; margin: 12pt 0 6pt }
p.num { padding-left: 7mm; text-indent: -7mm } p.sub { margin-left: 14mm }
p.bullet { padding-left: 5mm; text-indent: -5mm }
.fn { float: footnote; font-size: 8pt; line-height: 1.3; hyphens: manual }
.cont::footnote-call { content: none } .cont::footnote-marker { content: none }
"""


def printed_pdf(text: str, *, columns: int = 1) -> bytes:
    result = weasyprint.HTML(string=printed_html(text, columns=columns)).write_pdf()
    assert isinstance(result, bytes)
    return result


# --------------------------------------------------------------------------------------------
# Word: built from the seed's parsed structure, the way a secretariat writes it in Word
# --------------------------------------------------------------------------------------------

# List definitions: recommendations and paragraphs share one (1., a.), the paragraphs' list
# restarting it; key themes are bullets.
_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="hybridMultilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>|<w:abstractNum {ns} w:abstractNumId="91">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>|<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>|<w:num {ns} w:numId="91">
<w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>
</w:num>|<w:num {ns} w:numId="92"><w:abstractNumId w:val="91"/></w:num>
"""
RECOMMENDATION_LIST, PARAGRAPH_LIST, BULLET_LIST = "90", "91", "92"
DELETED_TEXT = "wording struck out in review"
COMMENT_TEXT = "Reviewer: please check this sentence"


def _xml(markup: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(markup)


def _install_numbering(document: Any) -> None:
    from docx.oxml.ns import nsdecls, qn

    root = document.part.numbering_part.element
    first_num = root.find(qn("w:num"))
    for piece in _NUMBERING.format(ns=nsdecls("w")).split("|"):
        node = _xml(piece.strip())
        if node.tag == qn("w:abstractNum") and first_num is not None:
            first_num.addprevious(node)
        else:
            root.append(node)


def install_notes(document: Any, kind: str, notes: dict[int, str]) -> None:
    """A footnotes or endnotes part holding ``notes`` (id → text), as Word writes one."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import nsdecls

    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
    )
    items = "".join(
        f'<w:{kind} w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {html.escape(text, quote=False)}</w:t></w:r></w:p></w:{kind}>'
        for n, text in notes.items()
    )
    blob = f"<w:{kind}s {nsdecls('w')}>{separators}{items}</w:{kind}s>".encode()
    footnote = kind == "footnote"
    content_type = CONTENT_TYPE.WML_FOOTNOTES if footnote else CONTENT_TYPE.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES if footnote else RELATIONSHIP_TYPE.ENDNOTES)


def note_reference(paragraph: Any, kind: str, number: int) -> None:
    from docx.oxml.ns import nsdecls

    paragraph._p.append(
        _xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{kind}Reference w:id="{number}"/></w:r>'
        )
    )


def number_paragraph(paragraph: Any, num_id: str, level: int = 0) -> None:
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        _xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _tracked(paragraph: Any, text: str) -> None:
    """The text's second half as a tracked insertion, made-up words deleted before it."""
    from docx.oxml.ns import nsdecls

    attrs = f'{nsdecls("w")} w:id="{abs(hash(text)) % 100000}" w:author="Reviewer" w:date="2017-06-01T10:00:00Z"'
    paragraph._p.append(
        _xml(f'<w:del {attrs}><w:r><w:delText xml:space="preserve">{DELETED_TEXT} </w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        _xml(f'<w:ins {attrs}><w:r><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r></w:ins>')
    )


@dataclass
class _WordBuilder:
    document: Any
    result: ParseResult
    tracked: bool

    def text(self, paragraph: Any, text: str, *, bold: bool = False) -> None:
        """Runs for ``text``: **bold** and *italic* as run formatting, [^n] as footnote references;
        in the tracked file the second half of a longer text is a tracked insertion."""
        plain_from = text.rfind("**") + 2  # the cut falls after a bold headline, in plain text
        cut = text.find(" ", max(len(text) // 2, plain_from)) if self.tracked and len(text) > 80 else -1
        cut = -1 if "[^" in text or "*" in text[cut:] else cut
        head, tail = (text[:cut], text[cut:]) if cut > 0 else (text, "")
        for k, piece in enumerate(re.split(r"(\[\^\d+\]|\*\*|\*[^*]+\*)", head)):
            if k % 2 == 0:
                if piece:
                    paragraph.add_run(piece).bold = bold
            elif piece == "**":
                bold = not bold
            elif piece.startswith("[^"):
                note_reference(paragraph, "footnote", int(piece[2:-1]))
            else:
                run = paragraph.add_run(piece[1:-1])
                run.bold, run.italic = bold, True
        if tail:
            _tracked(paragraph, tail)

    def paragraph(self, text: str, *, style: str | None = None, num: str | None = None, level: int = 0) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        if num is not None:
            number_paragraph(paragraph, num, level)
        self.text(paragraph, text)
        return paragraph

    def title_block(self, text: str) -> None:
        """The seed's lines above its first section, one paragraph each (a title over two lines
        stays one bold title)."""
        bold = False
        for line in text.split("\n"):
            s = line.strip()
            if s.upper() == s and s and s.isalpha():
                return  # the first section heading
            if not s:
                continue
            s = _SUP_RUN_RE.sub(lambda m: f"[^{_sup_number(m.group(0))}]", s)
            paragraph = self.document.add_paragraph()
            self.text(paragraph, s.replace("**", ""), bold=bold or s.startswith("**"))
            if s.count("**") % 2:
                bold = not bold

    def body(self) -> None:
        r = self.result
        self.document.add_heading("Overview", level=1)
        for piece in r.marked_text(r.overview, "overview").split("\n\n"):
            self.paragraph(piece)
        self.document.add_heading("Key themes", level=1)
        self.paragraph(r.marked_text(r.key_themes_intro, "key_themes_intro"))
        for n, theme in enumerate(r.key_themes, start=1):
            self.paragraph(r.marked_text(theme, "key_theme", n), num=BULLET_LIST)
        self.document.add_heading("Recommendations", level=1)
        self.paragraph(r.marked_text(r.recommendations_intro, "recommendations_intro"))
        for rec in r.recommendations:
            self.paragraph(f"**{rec.headline}:** {rec.body}", num=RECOMMENDATION_LIST)
            for sub in rec.sub_items:
                self.paragraph(sub.text, num=RECOMMENDATION_LIST, level=1)
        self.document.add_heading("Summary of the discussion", level=1)
        for number, session in enumerate(r.sessions, start=1):
            self.document.add_heading(session.title or f"Session {number}", level=2)
            for p in session.paragraphs:
                self.paragraph(r.marked_text(p.text, "paragraph", p.number), num=PARAGRAPH_LIST)


def word_docx(text: str, *, tracked: bool = False) -> bytes:
    """The seed as a Word file: headings by style, automatic numbering (the paragraphs' list
    restarting the recommendations'), bold headlines, italics, real footnotes. ``tracked`` adds
    tracked insertions and deletions and a comment."""
    import io

    import docx

    from importing.parser import parse_summary

    result = parse_summary(text)
    document = docx.Document()
    _install_numbering(document)
    builder = _WordBuilder(document, result, tracked)
    builder.title_block(text)
    builder.body()
    install_notes(document, "footnote", {f.number: f.text for f in result.footnotes})
    if tracked:
        target = document.paragraphs[-1]
        document.add_comment(target.runs[:1], text=COMMENT_TEXT, author="Reviewer", initials="R")
        removed = document.add_paragraph()
        _tracked(removed, "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
