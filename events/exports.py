"""What the convening list exports, as a table of ``gsx_portal.exports``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gsx_portal.exports import Column, Table

from .models import Convening

CONVENINGS: Table[Convening] = Table(
    name="convenings",
    title=_("Convenings"),
    columns=[
        Column(_("Code"), lambda c: c.code, 18),
        Column(_("Permalink"), lambda c: c.get_absolute_url(), 40, link=True),
        Column(_("Title"), lambda c: c.title, 50),
        Column(_("Kind"), lambda c: c.get_kind_display(), 16),
        Column(_("Series"), lambda c: c.series, 10),
        Column(_("Start date"), lambda c: c.start_date, 12),
        Column(_("End date"), lambda c: c.end_date, 12),
        Column(_("City"), lambda c: c.city, 16),
        Column(_("Venue"), lambda c: c.venue, 24),
        Column(_("Country"), lambda c: c.country, 16),
        Column(_("Host conference"), lambda c: c.host_conference, 40),
        # Counted over the recommendations this reader may see (recommendations.selectors.convening_list).
        Column(_("Recommendations"), lambda c: c.recommendation_count, 14),  # type: ignore[attr-defined]  # annotated
    ],
)
