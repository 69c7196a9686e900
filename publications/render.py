"""Pure render functions: document data + our templates + our print stylesheet → PDF bytes.

No database access: the same data always gives the same document. Called by the render task,
the ``render_pdf`` command, the benchmark and the tests. Safety does not depend on the data
being clean: user Markdown is sanitised (``events.text``), plain fields are autoescaped, and
WeasyPrint can only read what ``SafeURLFetcher`` allows.

A warm worker keeps the parsed stylesheet and the font configuration between renders, which
is most of the difference between a cold and a warm one-page brief.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import segno
import weasyprint
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from weasyprint.text.fonts import FontConfiguration

from events.text import render_markdown

from . import brief_fit
from .documents import BriefData, LetterData, RecommendationEntry, SummaryData
from .fetcher import STATIC_ORIGIN, SafeURLFetcher

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged, with title and language: readable by screen readers
STYLESHEET = "publications/pdf.css"
# A brief's lead-in is one or two sentences; longer descriptions live on the page the QR opens.
BRIEF_INTRO_MAX = 320

FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")
_SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    layouts: int = 1  # how many times WeasyPrint laid the document out
    html: str = field(default="", repr=False)  # the final HTML, for the bench's side-by-side


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


def _write(layout: Any, *, language: str, layouts: int = 1, html: str = "") -> Rendered:
    """The PDF, whose catalogue /Lang (from <html lang>) and XMP dc:language both name ``language``.

    Custom metadata (the brief's version and layout count) goes into the info dictionary.
    """
    _declare_language(layout.metadata, language)
    pdf = layout.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=True)
    return Rendered(pdf=pdf, pages=len(layout.pages), layouts=layouts, html=html)


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


@lru_cache(maxsize=512)  # a brief's URL outlives its versions; bounded for a long-lived worker
def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#0d2b4e"))


def _facts(rec: RecommendationEntry) -> str:
    """What follows the status on an item's last line: date, endorsements, addressees, source.

    The count is of every active endorsement, named or counted-but-not-named; nobody is named.
    """
    parts = [""]
    if rec.first_asked:
        # A restatement says the ask is old, not new: the one fact a donor cannot see elsewhere.
        parts.append(_("first asked in %(year)s") % {"year": rec.first_asked})
    if rec.status_date:
        parts.append(_("last update %(date)s") % {"date": rec.status_date})
    if rec.endorsements:
        parts.append(ngettext("%(n)d endorsement", "%(n)d endorsements", rec.endorsements) % {"n": rec.endorsements})
    if rec.addressees:
        parts.append(_("to %(addressees)s") % {"addressees": ", ".join(rec.addressees)})
    if rec.source:
        parts.append(rec.source)
    return " · ".join(parts) if len(parts) > 1 else ""


def _figures(data: BriefData) -> list[tuple[int, str]]:
    count = len(data.recommendations)
    figures = [(count, npgettext("in figures", "recommendation", "recommendations", count))]
    # Zeros say nothing a donor can use; the items say "no endorsement yet" by saying nothing.
    if data.total_endorsements:
        n = data.total_endorsements
        figures.append((n, npgettext("in figures", "endorsement", "endorsements", n)))
    if data.endorsing_organizations:
        n = data.endorsing_organizations
        figures.append((n, ngettext("endorsing organization", "endorsing organizations", n)))
    return figures


def _more(data: BriefData, hidden: int) -> str:
    return ngettext("and %(n)d more at %(url)s", "and %(n)d more at %(url)s", hidden) % {"n": hidden, "url": data.url}


AUDIENCE_MARKS = {
    "secretariat": "Secretariat copy: includes confidential information. Do not circulate.",
    "network": "Network copy: includes participants visible to GSX network members only.",
}


def _brief_text(data: BriefData, *, audience: str, intro: str) -> brief_fit.BriefText:
    items = [
        brief_fit.BriefItem(
            headline=rec.headline,
            reference=rec.reference,
            ask=brief_fit.ask_text(
                rec.body, [(item.letter, item.text) for item in rec.sub_items], headline=rec.headline
            ),
            facts=f"{rec.status_label}{_facts(rec)}",
        )
        for rec in data.recommendations
    ]
    figures = " · ".join(f"{n} {label}" for n, label in _figures(data))
    mark = AUDIENCE_MARKS.get(audience, "")
    return brief_fit.BriefText(
        kicker=data.kicker,
        title=data.title,
        subtitle=data.subtitle,
        intro=intro,
        figures=figures,
        asks=" · ".join(f"{ask.addressee} {ask.count}" for ask in data.asks),
        more=_more(data, len(items)),
        items=items,
        audience_mark=_(mark) if mark else "",
    )


def _brief_html(
    data: BriefData, *, audience: str, text: brief_fit.BriefText, density: brief_fit.Density, count: int, qr: str
) -> str:
    ask_width = brief_fit.PAGE_WIDTH - brief_fit.ITEM_INDENT
    items = [
        {
            "reference": rec.reference,
            "headline": rec.headline,
            "ask": brief_fit.fit_one_line(item.ask, density.ask, ask_width) if item.ask else "",
            "status": rec.status,
            "status_label": rec.status_label,
            "facts_rest": item.facts[len(rec.status_label) :],  # as measured: status label, then the rest
        }
        for rec, item in zip(data.recommendations[:count], text.items[:count], strict=True)
    ]
    hidden = len(data.recommendations) - count
    context = {
        "data": data,
        "audience": audience,
        "density": density.name,
        "density_css": mark_safe(brief_fit.density_css(density)),  # noqa: S308  (our numbers only)
        "items": items,
        "hidden": hidden,
        "more": _more(data, hidden) if hidden else "",
        "figures": _figures(data),
        "qr_uri": qr,
        "intro": text.intro,
    }
    return render_to_string("publications/pdf/brief.html", context)


def render_brief_document(data: BriefData, *, audience: str) -> Rendered:
    """Always exactly one A4 page, planned before the first layout and checked after it.

    The plan (``brief_fit``) picks the loosest density that shows every recommendation, or the
    tightest with as many as fit; whole recommendations are left out from the end, never a
    sentence cut, and the last line says how many more the live page holds. Should the layout
    overflow all the same, the next density, then one item fewer, are tried (one layout each).
    """
    qr = qr_data_uri(data.url)
    text = _brief_text(data, audience=audience, intro=data.intro if data.drafted else brief_intro(data.intro))
    planned = brief_fit.plan(text)
    layouts = 0

    def attempt(density: brief_fit.Density, count: int, brief_text: brief_fit.BriefText = text) -> tuple[Any, str]:
        nonlocal layouts
        layouts += 1
        html = _brief_html(data, audience=audience, text=brief_text, density=density, count=count, qr=qr)
        return _layout(html), html

    density, count = planned.density, planned.count
    layout, html = attempt(density, count)
    while len(layout.pages) > 1:
        tighter = brief_fit.DENSITIES.index(density) + 1
        if count == len(text.items) and tighter < len(brief_fit.DENSITIES):
            density = brief_fit.DENSITIES[tighter]
        elif count > 0:
            # The overflowing layout tells how many items reached page one; the pointer line
            # needs a little room, so one fewer.
            count = min(count - 1, _items_on_first_page(layout))
        else:
            # Only an overlong title could leave no room at all; drop the lead-in and list nothing.
            layout, html = attempt(density, 0, replace(text, intro=""))
            break
        layout, html = attempt(density, count)
    logger.info(
        "brief %s: %d layout(s), density %s, %d of %d recommendations (planned %s, %d; %.0f mm)",
        data.reference, layouts, density.name, count, len(text.items),
        planned.density.name, planned.count, planned.height,
    )  # fmt: skip
    # Not printed (a donor has no use for an internal counter), but kept where tools can read it.
    layout.metadata.custom.update(GSXVersion=data.version, GSXLayouts=str(layouts))
    return _write(layout, language=data.language, layouts=layouts, html=html)


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
    brief_fit.warm_up()
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
