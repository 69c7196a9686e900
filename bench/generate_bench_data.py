"""Fill a PostgreSQL database with benchmark data for the recommendation search.

20,000 recommendations (400 convenings × 50), 2,000 organizations and 200,000 endorsements, plus
sub-items, themes and addressees, from a fixed random seed; ``BENCH_SCALE=10`` (or
``generate(scale=10)``, as bench/bench_scale.py does) makes ten times as much: 200,000
recommendations, 20,000 organizations and 2,000,000 endorsements. Everything it creates is marked
(convening codes start with BENCH-, organization slugs with bench-), and a second run that finds
the data complete does nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench .venv/bin/python bench/generate_bench_data.py

The large tables are written with COPY (psycopg2's ``copy_expert``), with triggers off for the
load (``session_replication_role = replica``: no per-row work, foreign keys not re-checked, the
ids being ours); what the triggers would have kept (the search documents, the endorsement
tallies if the project keeps them) is computed once at the end. No history rows and no
signals: this is data for measuring reads.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONVENINGS = 400
PER_CONVENING = 50
ORGANIZATIONS = 2_000
ENDORSEMENTS = 200_000
SEED = 20_17
VERSION = 3
# Rows per COPY: a bounded buffer, whatever the scale.
COPY_CHUNK = 100_000

THEMES = [
    "Youth",
    "Gender",
    "Trust-building",
    "Rehabilitation and reintegration",
    "Capacity",
    "Terminology",
    "Research",
    "Private sector",
    "CSO collaboration",
    "Legal and political space",
    "Education",
    "Online harms",
    "Prisons",
    "Returnees",
    "Local governance",
    "Human rights",
    "Media",
    "Faith actors",
]
ADDRESSEES = [
    ("Participating States", "states"),
    ("UN Secretary-General", "multilateral"),
    ("UN Office of Counter-Terrorism", "multilateral"),
    ("UNDP", "multilateral"),
    ("OSCE", "multilateral"),
    ("Donors", "donors"),
    ("Law enforcement", "states"),
    ("Civil-society organizations", "civil_society"),
    ("Academia", "other"),
    ("Private sector", "other"),
    ("Media and technology companies", "other"),
    ("Local authorities", "states"),
    ("Parliaments", "states"),
    ("Regional organizations", "multilateral"),
]
COUNTRIES = [
    "Austria",
    "Belgium",
    "Bosnia and Herzegovina",
    "Canada",
    "Colombia",
    "Egypt",
    "France",
    "Georgia",
    "Germany",
    "Indonesia",
    "Iraq",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kyrgyzstan",
    "Lebanon",
    "Mali",
    "Morocco",
    "Netherlands",
    "Niger",
    "Nigeria",
    "North Macedonia",
    "Norway",
    "Pakistan",
    "Philippines",
    "Senegal",
    "Somalia",
    "Sri Lanka",
    "Sweden",
    "Switzerland",
    "Tajikistan",
    "Tunisia",
    "Turkey",
    "Uganda",
    "Ukraine",
    "United Kingdom",
    "United States",
    "Uzbekistan",
    "Yemen",
    "Albania",
]
SUBJECTS = [
    "Donors",
    "States",
    "Governments",
    "Law enforcement agencies",
    "Civil-society organizations",
    "The United Nations",
    "Municipal authorities",
    "Regional bodies",
    "Technology companies",
    "Researchers",
]
VERBS = [
    "should fund",
    "should support",
    "should review",
    "should consult",
    "should protect",
    "should invest in",
    "should publish",
    "should evaluate",
    "should train",
    "should recognise",
    "should include",
    "should expand",
]
# Objects are built as adjective × noun (36 × 48): every word is about as rare as in real summaries,
# so a two-word query matches a few hundred recommendations, not half of them.
ADJECTIVES = [
    "community",
    "youth-led",
    "women's",
    "local",
    "independent",
    "regional",
    "faith-based",
    "municipal",
    "grassroots",
    "cross-border",
    "gender-sensitive",
    "long-term",
    "rural",
    "urban",
    "online",
    "school-based",
    "family",
    "survivor-led",
    "multi-year",
    "pooled",
    "participatory",
    "evidence-based",
    "trauma-informed",
    "peer",
    "intergenerational",
    "diaspora",
    "sports",
    "arts",
    "media",
    "legal",
    "psychosocial",
    "vocational",
    "religious",
    "neighbourhood",
    "prison",
    "refugee",
]
NOUNS = [
    "policing",
    "dialogue",
    "mentoring",
    "funding",
    "grants",
    "research",
    "evaluation",
    "reintegration",
    "rehabilitation",
    "counselling",
    "networks",
    "councils",
    "committees",
    "curricula",
    "training",
    "literacy",
    "helplines",
    "shelters",
    "monitoring",
    "mediation",
    "outreach",
    "apprenticeships",
    "exchanges",
    "partnerships",
    "safeguards",
    "legislation",
    "registration",
    "consultations",
    "platforms",
    "campaigns",
    "leadership",
    "volunteering",
    "archives",
    "surveys",
    "guidelines",
    "hubs",
    "festivals",
    "clubs",
    "radio",
    "theatre",
    "football",
    "cooperatives",
    "microfinance",
    "scholarships",
    "housing",
    "clinics",
    "tribunals",
    "ombudspersons",
]
PLACES = [
    "in border districts",
    "in secondary cities",
    "in prisons",
    "in camps",
    "in schools",
    "online",
    "in rural areas",
    "in capital cities",
    "in coastal towns",
    "in mining regions",
    "in post-conflict areas",
    "in universities",
]
QUALIFIERS = [
    "with a public timetable",
    "in consultation with affected communities",
    "through pooled funds",
    "with independent evaluation",
    "in local languages",
    "with transparent reporting",
    "over at least three years",
    "with safeguards for staff at risk",
    "jointly with municipalities",
    "through regional hubs",
]
OBJECTS = [f"{adjective} {noun}" for adjective in ADJECTIVES for noun in NOUNS]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def sentence(rng: random.Random) -> str:
    subject, verb, topic = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    return f"{subject} {verb} {topic} {rng.choice(PLACES)} {rng.choice(QUALIFIERS)}."


def headline(rng: random.Random) -> str:
    action = rng.choice(VERBS).split(" ", 1)[1].capitalize()
    return f"{action} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"


def is_complete(scale: int = 1) -> bool:
    from events.models import Convening
    from recommendations.models import Endorsement, Recommendation

    # Data of an older version of this generator (other vocabulary) is made again.
    if not Convening.objects.filter(
        code__startswith="BENCH-", title__startswith=f"Bench convening v{VERSION}"
    ).exists():
        return False
    return (
        Recommendation.objects.filter(convening__code__startswith="BENCH-").count()
        >= CONVENINGS * PER_CONVENING * scale
        and Endorsement.objects.filter(organization__slug__startswith="bench-").count() >= ENDORSEMENTS * scale
    )


def _cell(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model: Any, fields: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY ``rows`` (values of ``fields``, in order) into ``model``'s table, in chunks.

    Every other concrete column gets its field's default (``now`` for auto_now ones), so a field
    the project adds later (a counter, say) needs no change here.
    """
    from django.db import connection
    from django.utils import timezone

    opts = model._meta
    now = timezone.now()
    rest = [f for f in opts.concrete_fields if f.name not in fields and not f.primary_key]
    defaults = [
        _cell(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default())
        for f in rest
    ]
    columns = [opts.get_field(name).column for name in fields] + [f.column for f in rest]
    sql = f"COPY {opts.db_table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN"
    tail = ("\t" + "\t".join(defaults)) if defaults else ""
    written = 0
    with connection.cursor() as cursor:
        buffer = io.StringIO()
        for count, row in enumerate(rows, 1):
            buffer.write("\t".join(_cell(value) for value in row) + tail + "\n")
            if count % COPY_CHUNK == 0:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
            written = count
        buffer.seek(0)
        cursor.cursor.copy_expert(sql, buffer)
    return written


def _next_id(model: Any) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 (our table)
        return int(cursor.fetchone()[0])


def _reset_sequence(model: Any) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"  # noqa: S608 (our table)
        )


def _remove_earlier_data() -> None:
    """A half-finished or older run's rows, children first, in SQL: the ORM's delete would fetch
    millions of rows to send their signals."""
    from django.db import connection

    from events.models import Convening
    from organizations.models import Organization

    recommendations = (
        "SELECT r.id FROM recommendations_recommendation r JOIN events_convening c ON c.id = r.convening_id "
        "WHERE c.code LIKE 'BENCH-%'"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM recommendations_endorsement WHERE organization_id IN "  # noqa: S608 (our tables, no input)
            "(SELECT id FROM organizations_organization WHERE slug LIKE 'bench-%') "
            f"OR recommendation_id IN ({recommendations})"
        )
        for table in (
            "recommendations_subitem",
            "recommendations_recommendation_themes",
            "recommendations_recommendation_addressees",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE recommendation_id IN ({recommendations})")  # noqa: S608 (our tables)
        cursor.execute(f"DELETE FROM recommendations_recommendation WHERE id IN ({recommendations})")  # noqa: S608
    Convening.objects.filter(code__startswith="BENCH-").delete()
    Organization.objects.filter(slug__startswith="bench-").delete()


def _refresh_search_documents(say: Any) -> None:
    """The recommendations' search documents (recommendations migration 0012), which their
    triggers would have kept, computed once for every row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc('recommendation_search_document') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        cursor.execute(
            "UPDATE recommendations_recommendation SET search_document = "
            "recommendation_search_document(id, headline, body) WHERE search_document IS NULL"
        )
    say("search documents")


def _recount_tallies(say: Any) -> None:
    """The project's denormalised endorsement counts, when it keeps them, recounted once (the
    load ran with triggers off)."""
    from recommendations import services

    reconcile = getattr(services, "tallies_reconcile", None)
    if reconcile is not None:
        reconcile()
        say("endorsement tallies recounted")


def generate(*, scale: int | None = None, verbose: bool = True) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import Convening
    from organizations.models import Organization
    from recommendations.models import Addressee, Endorsement, Recommendation, SubItem, Theme

    scale = scale or int(os.environ.get("BENCH_SCALE", "1"))
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark data is for PostgreSQL: set DATABASE_URL=postgres://...")
    if is_complete(scale):
        if verbose:
            print("benchmark data already present; nothing to do")
        return {"created": False}

    def say(message: str) -> None:
        if verbose:
            print(f"  {time.perf_counter() - started:6.1f}s  {message}", flush=True)

    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        _remove_earlier_data()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers for the load

        themes = [Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in THEMES]
        addressees = [
            Addressee.objects.get_or_create(slug=slugify(name), defaults={"name": name, "group": group})[0]
            for name, group in ADDRESSEES
        ]
        kinds = ["cso"] * 70 + ["academic"] * 10 + ["donor"] * 8 + ["government"] * 7 + ["multilateral"] * 5
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Bench Organization {index:04d}",
                    slug=f"bench-org-{index:04d}",
                    kind=rng.choice(kinds),
                    country=rng.choice(COUNTRIES),
                    verified_at=now if rng.random() > 0.03 else None,
                )
                for index in range(ORGANIZATIONS * scale)
            ],
            batch_size=2000,
        )
        organization_ids = [organization.pk for organization in organizations]
        organization_themes = Organization.themes.through
        copy_rows(
            organization_themes,
            ["organization", "theme"],
            (
                (organization_id, theme.pk)
                for organization_id in organization_ids
                for theme in rng.sample(themes, rng.randint(0, 3))
            ),
        )
        say(f"{len(organizations)} organizations")

        kinds_of_convening = [choice for choice, _ in Convening.Kind.choices]
        convenings = Convening.objects.bulk_create(
            [
                Convening(
                    title=f"Bench convening v{VERSION} {index:03d} on {rng.choice(OBJECTS)}",
                    slug=f"bench-{index:03d}",
                    code=f"BENCH-{2008 + index % 18}-{index:03d}",
                    kind=rng.choice(kinds_of_convening),
                    start_date=dt.date(2008 + index % 18, 1 + index % 12, 1 + index % 28),
                    city="Bench City",
                    country=rng.choice(COUNTRIES),
                    status=Convening.Status.PUBLISHED if rng.random() > 0.05 else Convening.Status.DRAFT,
                    published_at=now,
                )
                for index in range(CONVENINGS * scale)
            ],
            batch_size=2000,
        )
        statuses = [
            "proposed",
            "circulating",
            "submitted",
            "acknowledged",
            "in_progress",
            "implemented",
            "not_taken_up",
            "superseded",
        ]
        first = _next_id(Recommendation)
        recommendation_ids = list(range(first, first + len(convenings) * PER_CONVENING))
        copy_rows(
            Recommendation,
            ["id", "convening", "number", "headline", "body", "status"],
            (
                (
                    first + index * PER_CONVENING + number - 1,
                    convening.pk,
                    number,
                    headline(rng),
                    " ".join(sentence(rng) for _ in range(rng.randint(2, 5))),
                    rng.choice(statuses),
                )
                for index, convening in enumerate(convenings)
                for number in range(1, PER_CONVENING + 1)
            ),
        )
        _reset_sequence(Recommendation)
        say(f"{len(convenings)} convenings, {len(recommendation_ids)} recommendations")

        copy_rows(
            SubItem,
            ["recommendation", "letter", "text"],
            (
                (recommendation_id, letter, sentence(rng))
                for recommendation_id in recommendation_ids
                if rng.random() < 0.3
                for letter in "abcd"[: rng.randint(2, 4)]
            ),
        )
        copy_rows(
            Recommendation.themes.through,
            ["recommendation", "theme"],
            (
                (recommendation_id, theme.pk)
                for recommendation_id in recommendation_ids
                for theme in rng.sample(themes, rng.randint(1, 2))
            ),
        )
        copy_rows(
            Recommendation.addressees.through,
            ["recommendation", "addressee"],
            (
                (recommendation_id, addressee.pk)
                for recommendation_id in recommendation_ids
                for addressee in rng.sample(addressees, rng.randint(1, 3))
            ),
        )
        say("sub-items, themes and addressees")

        # A skewed spread, as in life: a few recommendations gather most endorsements.
        weights = [1 / (1 + index % 97) for index in range(len(recommendation_ids))]
        wanted = ENDORSEMENTS * scale

        def endorsements() -> Iterator[tuple[Any, ...]]:
            per_recommendation: dict[int, set[int]] = {}
            made = 0
            picks = rng.choices(range(len(recommendation_ids)), weights=weights, k=wanted * 2)
            for pick in picks:
                chosen = per_recommendation.setdefault(pick, set())
                organization_id = organization_ids[rng.randrange(len(organization_ids))]
                if organization_id in chosen:
                    continue
                chosen.add(organization_id)
                withdrawn = now if rng.random() < 0.05 else None
                yield (recommendation_ids[pick], organization_id, "Bench Signatory", rng.random() > 0.1, now, withdrawn)
                made += 1
                if made == wanted:
                    return

        made = copy_rows(
            Endorsement,
            ["recommendation", "organization", "signatory_name", "is_named", "created_at", "withdrawn_at"],
            endorsements(),
        )
        say(f"{made} endorsements")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            # Statistics of the loaded tables before the recount: its per-row subqueries are
            # planned on them, and without them, over 2,000,000 endorsements, the planner scans
            # instead of using the indexes (the recount ran for over ten minutes).
            cursor.execute(
                "ANALYZE recommendations_recommendation, recommendations_endorsement, "
                "organizations_organization, events_convening"
            )
        _refresh_search_documents(say)
        _recount_tallies(say)

    # Outside the transaction: VACUUM also flushes the GIN indexes' pending lists, as autovacuum
    # would in a while, so the first measurements are not of a just-loaded index.
    with connection.cursor() as cursor:
        for table in ("recommendations_recommendation", "recommendations_subitem", "recommendations_endorsement"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
    say("vacuumed and analyzed")
    return {"created": True, "seconds": round(time.perf_counter() - started, 1)}


if __name__ == "__main__":
    setup_django()
    print(generate())
