"""Pure render functions: document data + our templates + our print stylesheet → PDF bytes.

No database access: the same data always gives the same document. Called by the render task,
the ``render_pdf`` command, the benchmark and the tests. Safety does not depend on the data
being clean: user Markdown is sanitised (``events.text``), plain fields are autoescaped, and
WeasyPrint can only read what ``SafeURLFetcher`` allows.

A warm worker keeps the parsed stylesheet and the font configuration between renders, which
is most of the difference between a cold and a warm one-page brief.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import segno
import weasyprint
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint.text.fonts import FontConfiguration

from events.text import render_markdown

from .documents import BriefData, LetterData, RecommendationEntry, SummaryData
from .fetcher import STATIC_ORIGIN, SafeURLFetcher

PDF_VARIANT = "pdf/ua-1"  # tagged, with title and language: readable by screen readers
STYLESHEET = "publications/pdf.css"
# Readable limits for the brief: four type densities, from 10.5 pt down to 8 pt.
BRIEF_DENSITIES = (0, 1, 2, 3)
# A brief's lead-in is one or two sentences; longer descriptions live on the page the QR opens.
BRIEF_INTRO_MAX = 320

FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")
_SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _fetcher() -> SafeURLFetcher:
    return SafeURLFetcher()


@lru_cache(maxsize=4)
def _stylesheet(name: str = STYLESHEET) -> weasyprint.CSS:
    return weasyprint.CSS(url=STATIC_ORIGIN + name, url_fetcher=_fetcher(), font_config=_font_config())


def harfbuzz_subsetter_available() -> bool:
    """True when WeasyPrint subsets fonts with libharfbuzz-subset (five times faster than fontTools)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def _layout(html: str) -> Any:
    document = weasyprint.HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=_fetcher())
    return document.render(font_config=_font_config(), stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT)


def _write(layout: Any, *, language: str) -> Rendered:
    """The PDF, whose catalogue /Lang (from <html lang>) and XMP dc:language both name ``language``."""
    _declare_language(layout.metadata, language)
    return Rendered(pdf=layout.write_pdf(pdf_variant=PDF_VARIANT), pages=len(layout.pages))


def _declare_language(metadata: Any, language: str) -> None:
    # WeasyPrint writes /Lang but no dc:language into the XMP packet: add one rdf:Description
    # to the RDF it generates, on this document's metadata object only.
    generate = metadata.generate_rdf_metadata
    description = (
        '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" rdf:about="">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language></rdf:Description>"
    ).encode()

    def with_language(*args: Any) -> bytes:
        rdf: bytes = generate(*args)
        head, closing, tail = rdf.rpartition(b"</rdf:RDF>")
        return head + description + closing + tail if closing else rdf

    metadata.generate_rdf_metadata = with_language


def _inline(html: str) -> str:
    """A one-paragraph Markdown rendering without its <p>, to sit inside a line of ours."""
    html = html.strip()
    match = _SINGLE_PARAGRAPH.match(html)
    return match[1] if match and "<p>" not in match[1] else html


class _Footnotes:
    """Turns ``[^n]`` markers into footnotes floated to the foot of the page that calls them.

    Markers are replaced in document order; a note is placed once, later calls of the same
    note only repeat its number. Notes never called are hung on the document's title.
    """

    def __init__(self, notes: dict[int, str]) -> None:
        self.notes = {n: _inline(render_markdown(text, footnote_links=False)) for n, text in notes.items()}
        self.placed: set[int] = set()

    def _call(self, match: re.Match[str]) -> str:
        number = int(match[1])
        if number not in self.notes:
            return ""
        if number in self.placed:
            return f'<span class="fn-again">{number}</span>'
        self.placed.add(number)
        return f'<span class="footnote" data-n="{number}">{self.notes[number]}</span>'

    def markdown(self, text: str, *, inline: bool = False) -> SafeString:
        html = render_markdown(text, footnote_links=False)
        if inline:
            html = _inline(html)
        # Safe: sanitised by nh3 above, and the notes inserted are sanitised the same way.
        return mark_safe(FOOTNOTE_MARKER.sub(self._call, html))  # noqa: S308

    def plain(self, text: str) -> SafeString:
        return mark_safe(FOOTNOTE_MARKER.sub(self._call, str(escape(text))))  # noqa: S308  (escaped)


def _numbered(number: int, html: SafeString) -> SafeString:
    """The paragraph number inside its first line, so a page break never strands it alone."""
    mark = f'<span class="pnum">{number}.</span>'
    if html.startswith("<p>"):
        return mark_safe(f"<p>{mark}{html[3:]}")  # noqa: S308  (sanitised html, our own span)
    return mark_safe(f"<p>{mark}</p>{html}")  # noqa: S308  (idem)


def _referenced(data: SummaryData) -> set[int]:
    texts = [data.summary_title, data.overview, *data.key_themes]
    for rec in data.recommendations:
        texts += [rec.headline, rec.body, *(item.text for item in rec.sub_items)]
    texts += [p.text for session in data.sessions for p in session.paragraphs]
    return {int(n) for text in texts for n in FOOTNOTE_MARKER.findall(text or "")}


def _summary_context(data: SummaryData, *, audience: str) -> dict[str, Any]:
    notes = _Footnotes({note.number: note.text for note in data.footnotes})
    referenced = _referenced(data)
    title = data.summary_title or str(_("Meeting summary"))
    # The title's own calls, then any note nobody calls (often the disclaimer), hang on the title.
    calls = [int(n) for n in FOOTNOTE_MARKER.findall(title)]
    calls += [n for n in sorted(notes.notes) if n not in referenced]
    context: dict[str, Any] = {
        "data": data,
        "audience": audience,
        "plain_summary_title": FOOTNOTE_MARKER.sub("", title).strip(),
        "summary_title_calls": notes.plain("".join(f"[^{n}]" for n in calls)),
        "overview_html": notes.markdown(data.overview) if data.overview else "",
        "key_themes_html": [notes.markdown(text, inline=True) for text in data.key_themes],
    }
    context["recommendations"] = [
        {
            "entry": rec,
            "headline_html": notes.plain(rec.headline),
            "body_html": notes.markdown(rec.body) if rec.body else "",
            "sub_items": [
                {"letter": item.letter, "html": notes.markdown(item.text, inline=True)} for item in rec.sub_items
            ],
        }
        for rec in data.recommendations
    ]
    context["sessions"] = [
        {
            "title": session.title,
            "paragraphs": [
                {"number": p.number, "html": _numbered(p.number, notes.markdown(p.text))} for p in session.paragraphs
            ],
        }
        for session in data.sessions
    ]
    context["next_steps"] = [
        {"entry": step, "html": notes.markdown(step.text, inline=True)} for step in data.next_steps
    ]
    groups: dict[str, list[Any]] = {}
    for participant in data.participants:
        groups.setdefault(participant.role_label, []).append(participant)
    context["participant_groups"] = [{"role": role, "people": people} for role, people in groups.items()]
    return context


def render_summary_document(data: SummaryData, *, audience: str) -> Rendered:
    html = render_to_string("publications/pdf/summary.html", _summary_context(data, audience=audience))
    return _write(_layout(html), language=data.language)


def render_summary(data: SummaryData, *, audience: str) -> bytes:
    return render_summary_document(data, audience=audience).pdf


# --- The one-page brief --------------------------------------------------------------------


def brief_intro(text: str) -> str:
    """Whole sentences up to BRIEF_INTRO_MAX characters; nothing rather than half a sentence."""
    text = " ".join(text.split())
    if len(text) <= BRIEF_INTRO_MAX:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > BRIEF_INTRO_MAX:
            break
        kept = candidate
    return kept


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#0d2b4e"))


def _brief_html(
    data: BriefData, *, audience: str, density: int, shown: list[RecommendationEntry], qr: str, intro: str
) -> str:
    context = {
        "data": data,
        "audience": audience,
        "density": density,
        "shown": shown,
        "hidden": len(data.recommendations) - len(shown),
        "qr_uri": qr,
        "intro": intro,
        "version_label": data.version[:8],
    }
    return render_to_string("publications/pdf/brief.html", context)


# How much a density shrinks the brief relative to d0 (measured on typical briefs, rounded down
# a little so the first guess usually fits): used to jump straight to the density that fits.
DENSITY_SCALE = {0: 1.0, 1: 0.84, 2: 0.72, 3: 0.62}


def render_brief_document(data: BriefData, *, audience: str) -> Rendered:
    """Always exactly one A4 page: tighter type first, then fewer recommendations plus a pointer.

    Whole recommendations are left out, from the end, never a sentence cut: the headlines kept
    are the first ones by number, and the last line says how many more the live page holds.
    Most briefs take one layout; the longest about four (each costs a layout of the page).
    """
    qr = qr_data_uri(data.url)
    intro = brief_intro(data.intro)
    everything = list(data.recommendations)

    def attempt(density: int, count: int, with_intro: bool = True) -> Any:
        html = _brief_html(
            data, audience=audience, density=density, shown=everything[:count], qr=qr, intro=intro if with_intro else ""
        )
        return _layout(html)

    layout = attempt(0, len(everything))
    if len(layout.pages) == 1:
        return _write(layout, language=data.language)
    needed = _pages_used(layout)
    for density in BRIEF_DENSITIES[1:]:
        if needed * DENSITY_SCALE[density] > 1.0 and density != BRIEF_DENSITIES[-1]:
            continue  # would not fit: skip the layout
        layout = attempt(density, len(everything))
        if len(layout.pages) == 1:
            return _write(layout, language=data.language)
    tightest = BRIEF_DENSITIES[-1]
    # The overflowing layout tells how many items reached page one; the pointer line needs a
    # little room, so step down from there (one or two layouts).
    count = min(_items_on_first_page(layout), len(everything) - 1)
    while count >= 0:
        candidate = attempt(tightest, count)
        if len(candidate.pages) == 1:
            return _write(candidate, language=data.language)
        count -= 1
    # Only an overlong title could leave no room at all; drop the lead-in and list nothing.
    return _write(attempt(tightest, 0, with_intro=False), language=data.language)


def _pages_used(layout: Any) -> float:
    """Pages of content, the last one counted by how full it is (2.25 = two pages and a quarter)."""
    last = layout.pages[-1]._page_box
    used = 0.0
    for child in last.children:
        if getattr(child, "element_tag", None) == "html":
            used = max(used, child.position_y + child.margin_height() - last.content_box_y())
    available = last.height or 1
    return len(layout.pages) - 1 + min(used / available, 1.0)


def _items_on_first_page(layout: Any) -> int:
    """How many recommendation items sit whole on page one of an overflowing layout."""
    count = 0

    def walk(box: Any) -> None:
        nonlocal count
        element = getattr(box, "element", None)
        if getattr(box, "element_tag", None) == "li" and element is not None and element.get("class") == "item":
            count += 1
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(layout.pages[0]._page_box)
    return count


def render_brief(data: BriefData, *, audience: str) -> bytes:
    return render_brief_document(data, audience=audience).pdf


# --- The sign-on letter ---------------------------------------------------------------------


def render_letter_document(data: LetterData, *, audience: str) -> Rendered:
    context = {
        "data": data,
        "audience": audience,
        "body_html": mark_safe(render_markdown(data.body, footnote_links=False)),  # noqa: S308  (nh3)
        "version_label": data.version[:8],
    }
    return _write(_layout(render_to_string("publications/pdf/letter.html", context)), language=data.language)


def render_letter(data: LetterData, *, audience: str) -> bytes:
    return render_letter_document(data, audience=audience).pdf


def warm_up() -> None:
    """Load fonts, parse the stylesheet and compile the templates: the first real render is warm."""
    sample = RecommendationEntry(number=1, reference="GSX/R1", headline="Warm-up", status_label="Proposed")
    render_brief(
        BriefData(
            title="Warm-up",
            reference="GSX",
            url="https://example.invalid/",
            version="0",
            as_of="",
            recommendations=[sample],
        ),
        audience="public",
    )
    render_to_string(
        "publications/pdf/summary.html", {"data": SummaryData(title="", code="", url="", version="", as_of="")}
    )
    render_to_string(
        "publications/pdf/letter.html", {"data": LetterData(title="", reference="", url="", version="", as_of="")}
    )
