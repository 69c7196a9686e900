"""The layout test corpus, printed at test time from a seed's text (never committed as copies).

``printed_pdf`` lays the summary out the way a secretariat's word processor prints it: bold
headlines, footnotes at the foot of their page (the second one split over a page break), a
running header, "Page N of M" footers, automatic hyphenation, optionally in two columns.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import weasyprint

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
