"""User-written Markdown to safe HTML: rendered with python-markdown, then sanitised by nh3.

Everything the secretariat or a CSO types goes through ``render_markdown`` before it reaches a
page or a PDF. The allowlist has no images, no styles and only http(s)/mailto links, so neither a
browser nor WeasyPrint is ever asked to fetch something a user named.
"""

from __future__ import annotations

import re

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "sup",
    "sub",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id", "class"}, "sup": {"id", "class"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

FOOTNOTE_MARKER = re.compile(r"\[\^(\d{1,3})\]")


def render_markdown(text: str, *, footnote_links: bool = True) -> str:
    """Markdown → sanitised HTML. ``[^n]`` markers become links to the convening's footnote n."""
    if not text:
        return ""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    if footnote_links:
        html = FOOTNOTE_MARKER.sub(
            lambda m: f'<sup class="fnref" id="fnref{m[1]}"><a href="#fn{m[1]}">{m[1]}</a></sup>', html
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
