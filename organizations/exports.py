"""What the organization directory exports, as a table of ``gsx_portal.exports``.

Only what the directory itself shows: no contact address, nothing about endorsements or
participations (those are counted or hidden elsewhere, by their own rules).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gsx_portal.exports import Column, Table

from .models import Organization

ORGANIZATIONS: Table[Organization] = Table(
    name="organizations",
    title=_("Organizations"),
    columns=[
        Column(_("Name"), lambda o: o.name, 40),
        Column(_("Permalink"), lambda o: o.get_absolute_url(), 40, link=True),
        Column(_("Acronym"), lambda o: o.acronym, 12),
        Column(_("Kind"), lambda o: o.get_kind_display(), 16),
        Column(_("Country"), lambda o: o.country, 16),
        Column(_("Website"), lambda o: o.website, 30),
        Column(_("Themes"), lambda o: "; ".join(t.name for t in o.themes.all()), 30),
    ],
)
