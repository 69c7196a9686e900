"""The bulk open-data file: a ZIP of CSV files, one per entity, with a data dictionary.

Built as an anonymous visitor reads the portal (``visible_to(None)`` everywhere, owners named by
``events.selectors.next_step_owners``): published convenings only, public participations only,
named endorsements of verified organizations only, never an internal note or who recorded what.
The tables of the list exports are reused where a list exists (one definition of each column);
the rest are defined here. Column headings are in English whatever the build's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import translation

from events.exports import CONVENINGS
from events.models import NextStep, Participation
from events.selectors import next_step_owners
from gsx_portal.exports import CSV_FORMULA_PREFIXES, Column, Table, neutralised
from gsx_portal.site import site_url
from organizations.exports import ORGANIZATIONS
from organizations.models import Organization
from recommendations import selectors as recommendation_selectors
from recommendations.endorsement_selectors import letter_list
from recommendations.exports import LETTERS, RECOMMENDATIONS
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Recommendation,
    StatusUpdate,
    SubItem,
    Theme,
)

READER = None  # anonymous: the file carries public data only
CHUNK = 2000

THEMES: Table[Theme] = Table(
    name="themes",
    title="Themes",
    columns=[
        Column("Slug", lambda t: t.slug),
        Column("Name", lambda t: t.name),
        Column("Permalink", lambda t: t.get_absolute_url(), link=True),
        Column("Description", lambda t: t.description),
    ],
)
ADDRESSEES: Table[Addressee] = Table(
    name="addressees",
    title="Addressees",
    columns=[
        Column("Slug", lambda a: a.slug),
        Column("Name", lambda a: a.name),
        Column("Group", lambda a: a.get_group_display()),
    ],
)
STATUS_UPDATES: Table[StatusUpdate] = Table(
    name="status_updates",
    title="Status updates",
    columns=[
        Column("Reference", lambda u: u.recommendation.reference),
        Column("Date", lambda u: u.date),
        Column("Status", lambda u: u.get_status_display()),
        Column("Addressee", lambda u: u.addressee.name if u.addressee else ""),
        Column("Note", lambda u: u.note),
        Column("Reason", lambda u: u.public_reason),
        Column("Source", lambda u: u.get_source_display()),
        Column("Evidence link", lambda u: u.evidence_url),
        Column("Recorded at", lambda u: u.created_at.astimezone(dt.UTC).isoformat()),
    ],
)
RESPONSES: Table[AddresseeResponse] = Table(
    name="addressee_responses",
    title="Addressee responses",
    columns=[
        Column("Reference", lambda r: r.recommendation.reference),
        Column("Addressee", lambda r: r.addressee.name),
        Column("Status", lambda r: r.get_status_display()),
        Column("Due date", lambda r: r.due_date),
    ],
)
ENDORSEMENTS: Table[Endorsement] = Table(
    name="endorsements",
    title="Endorsements",
    columns=[
        Column("Organization", lambda e: e.organization.name),
        Column("Organization slug", lambda e: e.organization.slug),
        Column("Recommendation", lambda e: e.recommendation.reference if e.recommendation else ""),
        Column("Letter", lambda e: e.letter.slug if e.letter else ""),
        Column("Date", lambda e: e.created_at.date()),
    ],
)
PARTICIPATIONS: Table[Participation] = Table(
    name="participations",
    title="Participations",
    columns=[
        Column("Convening code", lambda p: p.convening.code),
        Column("Organization", lambda p: p.organization.name),
        Column("Organization slug", lambda p: p.organization.slug),
        Column("Role", lambda p: p.get_role_display()),
    ],
)


@dataclass(frozen=True)
class NamedStep:
    step: NextStep
    owners: list[Organization]


NEXT_STEPS: Table[NamedStep] = Table(
    name="next_steps",
    title="Next steps",
    columns=[
        Column("Convening code", lambda s: s.step.convening.code),
        Column("Order", lambda s: s.step.order),
        Column("Text", lambda s: s.step.text),
        Column("Due date", lambda s: s.step.due_date),
        Column("State", lambda s: s.step.get_state_display()),
        Column("Owners", lambda s: "; ".join(o.name for o in s.owners)),
    ],
)

# The data dictionary: what each column holds. Columns not named here are described by their file.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "convenings": {
        "Code": "Citable code of the convening, e.g. CSD-2017-VIE; the prefix of its recommendations' references.",
        "Permalink": "Address of the convening's page.",
        "Kind": "Roundtable, civil-society day, workshop, side event or webinar.",
        "Recommendations": "Number of published recommendations of the convening.",
    },
    "recommendations": {
        "Reference": "Citable reference: convening code, /R and the number, e.g. CSD-2017-VIE/R2.",
        "Permalink": "Address of the recommendation's page.",
        "Sub-items": "Lettered sub-items, one per line (a. ..., b. ...).",
        "Status": "Derived from the addressees' responses (see status_updates and addressee_responses).",
        "Endorsements": "Active endorsements, named or not: organizations may be counted without being named.",
        "Themes": "Theme names, separated by '; ' (see themes).",
        "Addressed to": "Addressee names, separated by '; ' (see addressees).",
        "Convening code": "Code of the convening (see convenings).",
        "Date": "Start date of the convening.",
    },
    "organizations": {"Permalink": "Address of the organization's profile; only verified organizations are listed."},
    "letters": {
        "Signatures": "Active signatures, named or not.",
        "Recommendations": "References of the published recommendations the letter cites, separated by '; '.",
    },
    "status_updates": {
        "Reference": "The recommendation (see recommendations).",
        "Date": "Date the status took effect.",
        "Addressee": "Whose response this is; empty for the recommendation as a whole.",
        "Recorded at": "When the secretariat recorded the update (UTC).",
    },
    "addressee_responses": {"Status": "The addressee's current status: that of its latest update by date."},
    "endorsements": {
        "Organization": "Only organizations that agreed to be named; the counts in recommendations and letters "
        "include those that did not.",
        "Letter": "Slug of the sign-on letter signed (see letters); empty for a recommendation.",
    },
    "participations": {"Role": "Convenor, co-chair, speaker, participant or observer; public participations only."},
    "next_steps": {"Owners": "Owner organizations that may be named publicly, separated by '; '."},
}


def _recommendations() -> Iterable[Recommendation]:
    rows = recommendation_selectors.with_rows(Recommendation.objects.visible_to(READER).listed())
    rows = rows.prefetch_related(Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")))
    return rows.order_by("convening__code", "number").iterator(chunk_size=CHUNK)


def _next_steps() -> Iterable[NamedStep]:
    steps = list(
        NextStep.objects.visible_to(READER)
        .filter(convening__archived_at__isnull=True)
        .select_related("convening")
        .order_by("convening__code", "order", "pk")
    )
    owners = next_step_owners(user=READER, steps=steps)
    return [NamedStep(step, owners[step.pk]) for step in steps]


def entities() -> list[tuple[Table[Any], Callable[[], Iterable[Any]]]]:
    """Each file of the ZIP: its table and how to read its rows (as an anonymous visitor)."""
    listed = Recommendation.objects.visible_to(READER).listed()
    return [
        (
            CONVENINGS,
            lambda: recommendation_selectors.convening_list(user=READER).order_by("code").iterator(chunk_size=CHUNK),
        ),
        (RECOMMENDATIONS, _recommendations),
        (THEMES, lambda: Theme.objects.order_by("slug")),
        (ADDRESSEES, lambda: Addressee.objects.order_by("slug")),
        (
            STATUS_UPDATES,
            lambda: (
                StatusUpdate.objects.visible_to(READER)
                .filter(recommendation__in=listed.values("pk"))
                .select_related("recommendation__convening", "addressee")
                .order_by("recommendation__convening__code", "recommendation__number", "date", "pk")
                .iterator(chunk_size=CHUNK)
            ),
        ),
        (
            RESPONSES,
            lambda: (
                AddresseeResponse.objects.filter(recommendation__in=listed.values("pk"))
                .select_related("recommendation__convening", "addressee")
                .order_by("recommendation__convening__code", "recommendation__number", "addressee__name")
                .iterator(chunk_size=CHUNK)
            ),
        ),
        (
            ORGANIZATIONS,
            lambda: (
                Organization.objects.visible_to(READER)
                .prefetch_related("themes")
                .order_by("name", "pk")
                .iterator(chunk_size=CHUNK)
            ),
        ),
        (
            ENDORSEMENTS,
            lambda: (
                Endorsement.objects.visible_to(READER)
                .select_related("organization", "recommendation__convening", "letter")
                .order_by("created_at", "pk")
                .iterator(chunk_size=CHUNK)
            ),
        ),
        (
            PARTICIPATIONS,
            lambda: (
                Participation.objects.visible_to(READER)
                .filter(convening__archived_at__isnull=True)
                .select_related("convening", "organization")
                .order_by("convening__code", "organization__name")
                .iterator(chunk_size=CHUNK)
            ),
        ),
        (NEXT_STEPS, _next_steps),
        (
            LETTERS,
            lambda: letter_list(user=READER, with_recommendations=True).iterator(chunk_size=CHUNK),
        ),
    ]


def _csv_text(table: Table[Any], rows: Iterable[Any], *, origin: str) -> tuple[str, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headings())
    count = 0
    for row in rows:
        writer.writerow([neutralised(value, CSV_FORMULA_PREFIXES) for value in table.values(row, origin=origin)])
        count += 1
    return "\ufeff" + buffer.getvalue(), count


def _dictionary(tables: list[Table[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "column", "description"])
    for table in tables:
        described = DESCRIPTIONS.get(table.name, {})
        for heading in table.headings():
            writer.writerow([f"{table.name}.csv", heading, described.get(heading, "")])
    return "\ufeff" + buffer.getvalue()


def _entry(name: str, stamp: Any) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


@dataclass(frozen=True)
class Built:
    content: bytes
    row_counts: dict[str, int]


def build_zip(*, version: str, made_at: dt.datetime) -> Built:
    """The ZIP's bytes: ``<entity>.csv`` files, ``data-dictionary.csv`` and ``README.txt``."""
    origin = site_url()
    counts: dict[str, int] = {}
    buffer = io.BytesIO()
    # Entries carry the release's time, not the clock's: one version always has the same bytes' dates.
    stamp = made_at.astimezone(dt.UTC).timetuple()[:6]
    with translation.override("en"), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        tables = []
        for table, rows in entities():
            text, counts[table.name] = _csv_text(table, rows(), origin=origin)
            archive.writestr(_entry(f"{table.name}.csv", stamp), text.encode("utf-8"))
            tables.append(table)
        archive.writestr(_entry("data-dictionary.csv", stamp), _dictionary(tables).encode())
        readme = "\n".join(
            [
                f"GSX Portal open data, version {version}",
                f"Made at {made_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC from {origin}",
                "",
                "Public data only: published convenings, public participations, organizations that agreed to be",
                "named. Counts of endorsements include organizations counted without being named.",
                "CSV files are UTF-8 with a byte-order mark; a cell starting with = + - @ is prefixed with '.",
                "",
                *(f"{name}.csv: {count} rows" for name, count in counts.items()),
                "",
            ]
        )
        archive.writestr(_entry("README.txt", stamp), readme.encode())
    return Built(content=buffer.getvalue(), row_counts=counts)
