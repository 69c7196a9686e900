"""CSV and XLSX exports of a filtered recommendation list.

The rows come from the same filters and selector as the list page, so an export holds exactly
what the page lists (all pages of it), and nothing ``visible_to`` hides. Every row carries its
citable reference and its permalink. No endorser is named: the count is all an export gives.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from gsx_portal.site import absolute_url, site_url

from .models import Recommendation

CHUNK = 2000
# Spreadsheet programs run a CSV cell that starts with these as a formula (CSV injection); in
# XLSX only a leading "=" makes openpyxl write a formula.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_PREFIXES = ("=",)


def columns() -> list[str]:
    return [
        _("Reference"),
        _("Permalink"),
        _("Headline"),
        _("Text"),
        _("Sub-items"),
        _("Status"),
        _("Endorsements"),
        _("Themes"),
        _("Addressed to"),
        _("Convening"),
        _("Convening code"),
        _("Date"),
        _("Country"),
    ]


def permalink(recommendation: Recommendation, *, origin: str = "") -> str:
    path = recommendation.get_absolute_url()
    return f"{origin}{path}" if origin else absolute_url(path)


def row(recommendation: Recommendation, *, origin: str = "") -> list[Any]:
    convening = recommendation.convening
    return [
        recommendation.reference,
        permalink(recommendation, origin=origin),
        recommendation.headline,
        recommendation.body,
        "\n".join(f"{item.letter}. {item.text}" for item in recommendation.sub_items.all()),
        recommendation.get_status_display(),
        recommendation.endorsement_count,  # type: ignore[attr-defined]  # annotated by the selectors
        "; ".join(theme.name for theme in recommendation.themes.all()),
        "; ".join(addressee.name for addressee in recommendation.addressees.all()),
        convening.title,
        convening.code,
        convening.start_date,
        convening.country,
    ]


def neutralised(value: Any, prefixes: tuple[str, ...]) -> Any:
    if isinstance(value, str) and value.startswith(prefixes):
        return "'" + value
    return value


def rows(
    recommendations: Iterable[Recommendation], prefixes: tuple[str, ...], *, origin: str = ""
) -> Iterator[list[Any]]:
    yield columns()
    for recommendation in recommendations:
        yield [neutralised(value, prefixes) for value in row(recommendation, origin=origin)]


class _Echo:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(recommendations: Iterable[Recommendation]) -> Iterator[str]:
    # Streamed after the view returns: the request's origin is read now, while it is known.
    return _csv_lines(recommendations, origin=site_url())


def _csv_lines(recommendations: Iterable[Recommendation], *, origin: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff"
    for values in rows(recommendations, CSV_FORMULA_PREFIXES, origin=origin):
        yield writer.writerow(values)


def xlsx_bytes(recommendations: Iterable[Recommendation]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Recommendations"))[:31])
    sheet.freeze_panes = "A2"
    for width, letter in zip((18, 40, 50, 60, 50, 14, 12, 30, 30, 40, 18, 12, 16), "ABCDEFGHIJKLM", strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    for index, values in enumerate(rows(recommendations, XLSX_FORMULA_PREFIXES)):
        if index == 0:
            header = [WriteOnlyCell(sheet, value=value) for value in values]
            for cell in header:
                cell.font = bold
            sheet.append(header)
        else:
            sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
