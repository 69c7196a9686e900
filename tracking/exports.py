"""What the stalled view exports, as a table of ``gsx_portal.exports``: each addressee's response,
its due date, the last update and the latest evidence (a link; files through the evidence view)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gsx_portal.exports import Column, Table

from .stalled_selectors import StalledRow

STALLED: Table[StalledRow] = Table(
    name="stalled",
    title=_("Stalled"),
    columns=[
        Column(_("Addressee"), lambda r: r.addressee.name, 28),
        Column(_("Reference"), lambda r: r.recommendation.reference, 20),
        Column(_("Permalink"), lambda r: r.recommendation.get_absolute_url(), 40, link=True),
        Column(_("Headline"), lambda r: r.recommendation.headline, 50),
        Column(_("Convening date"), lambda r: r.recommendation.convening.start_date, 14),
        Column(_("Response"), lambda r: r.response.get_status_display(), 16),
        Column(_("Response due by"), lambda r: r.response.due_date, 14),
        # str(): a lazy translation is not a value openpyxl can write.
        Column(_("Overdue"), lambda r: str(_("yes")) if r.overdue else "", 9),
        Column(_("Last update"), lambda r: r.last_update, 14),
        Column(_("Latest evidence"), lambda r: r.evidence.date if r.evidence else None, 14),
        Column(_("Evidence link"), lambda r: r.evidence.evidence_url if r.evidence else "", 40),
        # A file leaves only through the evidence view, which checks visible_to again.
        Column(_("Evidence file"), lambda r: r.evidence_file_path, 40, link=True),
    ],
)
