"""What the recommendation and letter lists export, as tables of ``gsx_portal.exports``.

The rows come from the same filters and selectors as the list pages, so an export holds exactly
what the page lists (all pages of it), and nothing ``visible_to`` hides. Every row carries its
citable reference and its permalink. No endorser is named: the count is all an export gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from gsx_portal.exports import Column, Table

from .models import Letter, Recommendation

if TYPE_CHECKING:
    from .selectors import Chain


def _annotated(name: str) -> Any:
    # Counts annotated by the selectors (recommendation_search, letter_list).
    return lambda obj: getattr(obj, name)


RECOMMENDATIONS: Table[Recommendation] = Table(
    name="recommendations",
    title=_("Recommendations"),
    columns=[
        Column(_("Reference"), lambda r: r.reference, 18),
        Column(_("Permalink"), lambda r: r.get_absolute_url(), 40, link=True),
        Column(_("Headline"), lambda r: r.headline, 50),
        Column(_("Text"), lambda r: r.body, 60),
        Column(_("Sub-items"), lambda r: "\n".join(f"{i.letter}. {i.text}" for i in r.sub_items.all()), 50),
        Column(_("Status"), lambda r: r.get_status_display(), 14),
        Column(_("Endorsements"), _annotated("endorsement_count"), 12),
        Column(_("Themes"), lambda r: "; ".join(t.name for t in r.themes.all()), 30),
        Column(_("Addressed to"), lambda r: "; ".join(a.name for a in r.addressees.all()), 30),
        Column(_("Convening"), lambda r: r.convening.title, 40),
        Column(_("Convening code"), lambda r: r.convening.code, 18),
        Column(_("Date"), lambda r: r.convening.start_date, 12),
        Column(_("Country"), lambda r: r.convening.country, 16),
    ],
)


LETTERS: Table[Letter] = Table(
    name="letters",
    title=_("Sign-on letters"),
    columns=[
        Column(_("Title"), lambda letter: letter.title, 50),
        Column(_("Permalink"), lambda letter: letter.get_absolute_url(), 40, link=True),
        Column(_("Addressed to"), lambda letter: letter.addressee.name if letter.addressee else "", 30),
        Column(_("State"), lambda letter: letter.get_state_display(), 16),
        Column(_("Opens on"), lambda letter: letter.opens_on, 12),
        Column(_("Closes on"), lambda letter: letter.closes_on, 12),
        Column(_("Sent on"), lambda letter: letter.sent_on, 12),
        Column(_("Signatures"), _annotated("signature_count"), 12),
        # Only the recommendations this reader may see (letter_list prefetches them so).
        Column(
            _("Recommendations"),
            lambda letter: "; ".join(r.reference for r in letter.visible_recommendations),  # type: ignore[attr-defined]  # prefetched to_attr
            40,
        ),
    ],
)


RECURRING: Table[Chain] = Table(
    name="recurring-asks",
    title=_("Recurring asks"),
    columns=[
        Column(_("First reference"), lambda c: c.first.reference, 18),
        Column(_("Permalink"), lambda c: c.latest.get_absolute_url(), 40, link=True),
        Column(_("Headline"), lambda c: c.latest.headline, 50),
        Column(_("Times asked"), lambda c: c.times_asked, 10),
        Column(_("First asked"), lambda c: c.first.convening.start_date, 12),
        Column(_("Years open"), lambda c: c.years_open, 10),
        Column(_("Status now"), lambda c: c.latest.get_status_display(), 14),
        Column(_("References"), lambda c: "; ".join(r.reference for r in c.members), 50),
    ],
)
