"""One export mechanism for every list: a table of columns, streamed as CSV or written as XLSX.

A list page's export takes the page's own FilterSet and ``visible_to`` queryset, so it holds
exactly what the page lists (all pages of it). Each file says what it is: a header comment in
CSV, a first sheet in XLSX, naming the list, the filters used (and those ignored) and when it
was made. Permalinks are hyperlinks in XLSX. Cells that a spreadsheet would run as a formula are
neutralised (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Generic, TypeVar

from django.http import HttpResponse, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .filtering import LenientFilterSet
from .site import site_url

T = TypeVar("T")

CHUNK = 2000
# Spreadsheet programs run a CSV cell that starts with these as a formula (CSV injection); in
# XLSX only a leading "=" makes openpyxl write a formula.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_PREFIXES = ("=",)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: its heading, how a row gives its value, its XLSX width. A ``link`` column gives
    a path, written as an absolute URL (a hyperlink in XLSX): the permalinks."""

    label: Any
    value: Callable[[T], Any]
    width: int = 18
    link: bool = False


@dataclass(frozen=True)
class Table(Generic[T]):
    """What one kind of row exports: the sheet's name (also the file's) and its columns."""

    name: str
    title: Any
    columns: Sequence[Column[T]]

    def headings(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def values(self, item: T, *, origin: str) -> list[Any]:
        return [
            f"{origin}{value}" if column.link and value else value
            for column, value in ((column, column.value(item)) for column in self.columns)
        ]


@dataclass(frozen=True)
class About:
    """What the first sheet (or the CSV's header comment) says about the file."""

    title: str
    filters: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    source: str = ""
    made_at: dt.datetime = field(default_factory=timezone.now)

    def lines(self) -> list[tuple[str, str]]:
        described = "; ".join(f"{label}: {value}" for label, value in self.filters) or _("none (every row)")
        lines = [
            (_("Export"), self.title),
            (_("Filters"), described),
            (_("Made at"), self.made_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ]
        if self.ignored:
            lines.append((_("Ignored (unreadable)"), ", ".join(self.ignored)))
        if self.source:
            lines.append((_("List page"), self.source))
        return lines


def describe_filters(filterset: LenientFilterSet) -> list[tuple[str, str]]:
    """(label, value as the page shows it) for every filter the set understood and applied."""
    described = []
    for name, value in filterset.values.items():
        form_field = filterset.form.fields.get(name)
        choices = dict(getattr(form_field, "choices", None) or ())
        values = value if isinstance(value, list | tuple | set) else [value]
        shown = ", ".join(str(choices.get(v, v)) for v in values)
        described.append((str(filterset.filters[name].label), shown))
    return described


def about_list(*, title: str, path: str, query: str = "", filterset: LenientFilterSet | None = None) -> About:
    """The About of a list's export: the filters understood, and the list page they give."""
    return About(
        title=title,
        filters=describe_filters(filterset) if filterset is not None else [],
        ignored=filterset.ignored_labels if filterset is not None else [],
        source=f"{site_url()}{path}" + (f"?{query}" if query else ""),
    )


def query_without(params: QueryDict, *names: str) -> str:
    """The query string without ``names`` (a page number means nothing to an export)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def neutralised(value: Any, prefixes: tuple[str, ...]) -> Any:
    if isinstance(value, str) and value.startswith(prefixes):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def _comment(text: str) -> str:
    # A comment line, not a CSV row: readers such as pandas (comment="#") skip it whole.
    return "# " + " ".join(text.split()) + "\r\n"


def csv_lines(table: Table[T], items: Iterable[T], *, about: About) -> Iterator[str]:
    # Streamed after the view returns: the request's origin is read now, while it is known.
    return _csv_lines(table, items, about=about, origin=site_url())


def _csv_lines(table: Table[T], items: Iterable[T], *, about: About, origin: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff"
    for label, value in about.lines():
        yield _comment(f"{label}: {value}")
    yield writer.writerow(table.headings())
    for item in items:
        yield writer.writerow([neutralised(value, CSV_FORMULA_PREFIXES) for value in table.values(item, origin=origin)])


def xlsx_bytes(table: Table[T], items: Iterable[T], *, about: About) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    origin = site_url()
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    # The first sheet says what the file is, what it was filtered by and when it was made.
    cover = workbook.create_sheet(title=str(_("About"))[:31])
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 90
    for label, value in about.lines():
        heading = WriteOnlyCell(cover, value=label)
        heading.font = bold
        cell = WriteOnlyCell(cover, value=neutralised(value, XLSX_FORMULA_PREFIXES))
        if value == about.source and value:
            cell.hyperlink = value
            cell.style = "Hyperlink"
        cover.append([heading, cell])

    sheet = workbook.create_sheet(title=str(table.title)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[_column_letter(index)].width = column.width
    header = [WriteOnlyCell(sheet, value=heading) for heading in table.headings()]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    links = [column.link for column in table.columns]
    for item in items:
        row: list[Any] = []
        for value, link in zip(table.values(item, origin=origin), links, strict=True):
            value = neutralised(value, XLSX_FORMULA_PREFIXES)
            if link and value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.hyperlink = value
                cell.style = "Hyperlink"
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def export_response(*, table: Table[T], items: Iterable[T], about: About, extension: str) -> HttpResponseBase:
    """The download: CSV streamed row by row, XLSX built whole (a zip cannot be streamed)."""
    name = f"gsx-{table.name}-{about.made_at.astimezone(dt.UTC):%Y-%m-%d}.{extension}"
    response: HttpResponseBase
    if extension == "xlsx":
        response = HttpResponse(xlsx_bytes(table, items, about=about), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(csv_lines(table, items, about=about), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
