import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from events.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    # Safe because render_markdown sanitises with an allowlist (nh3).
    return mark_safe(render_markdown(value or ""))  # noqa: S308


_FNREF_ID = re.compile(r' id="fnref(\d+)"')
# A note's back-link, as convening_detail.html writes it: dropped when nothing on the page cites the note.
_BACKREF = re.compile(r' ?<a class="backref" href="#fnref(\d+)">.*?</a>', re.DOTALL)


class _FirstFnrefNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        # Each text is rendered on its own, so a note cited twice on a page would give two
        # elements the same id; the note's back-link goes to its first citation.
        seen: set[str] = set()

        def first_only(match: re.Match[str]) -> str:
            if match[1] in seen:
                return ""
            seen.add(match[1])
            return match[0]

        html = _FNREF_ID.sub(first_only, self.nodelist.render(context))
        # A note nobody cites in the text (a disclaimer whose marker sat on the title) has
        # nowhere to go back to: a back-link would point at an id that does not exist.
        return _BACKREF.sub(lambda match: match[0] if match[1] in seen else "", html)


@register.tag(name="first_fnrefs")
def first_fnrefs(parser: template.base.Parser, token: template.base.Token) -> _FirstFnrefNode:
    """``{% first_fnrefs %}…{% end_first_fnrefs %}``: keeps only the first ``id="fnrefN"`` of each note,
    and back-links only to notes that are cited."""
    nodelist = parser.parse(("end_first_fnrefs",))
    parser.delete_first_token()
    return _FirstFnrefNode(nodelist)
