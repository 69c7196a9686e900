"""Fill a PostgreSQL database with benchmark data for the recommendation search.

20,000 recommendations (400 convenings × 50), 2,000 organizations and 200,000 endorsements, plus
sub-items, themes and addressees, from a fixed random seed. Everything it creates is marked
(convening codes start with BENCH-, organization slugs with bench-), and a second run that finds
the data complete does nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench .venv/bin/python bench/generate_bench_data.py

Bulk inserts, so no history rows and no signals: this is data for measuring reads.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONVENINGS = 400
PER_CONVENING = 50
ORGANIZATIONS = 2_000
ENDORSEMENTS = 200_000
SEED = 20_17
VERSION = 2

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


def is_complete() -> bool:
    from events.models import Convening
    from recommendations.models import Endorsement, Recommendation

    # Data of an older version of this generator (other vocabulary) is made again.
    if not Convening.objects.filter(
        code__startswith="BENCH-", title__startswith=f"Bench convening v{VERSION}"
    ).exists():
        return False
    return (
        Recommendation.objects.filter(convening__code__startswith="BENCH-").count() >= CONVENINGS * PER_CONVENING
        and Endorsement.objects.filter(organization__slug__startswith="bench-").count() >= ENDORSEMENTS
    )


def generate(*, verbose: bool = True) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import Convening
    from organizations.models import Organization
    from recommendations.models import Addressee, Endorsement, Recommendation, SubItem, Theme

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark data is for PostgreSQL: set DATABASE_URL=postgres://...")
    if is_complete():
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
        # Start clean: a half-finished earlier run is removed first.
        Endorsement.objects.filter(organization__slug__startswith="bench-").delete()
        Convening.objects.filter(code__startswith="BENCH-").delete()
        Organization.objects.filter(slug__startswith="bench-").delete()

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
                for index in range(ORGANIZATIONS)
            ],
            batch_size=1000,
        )
        organization_themes = Organization.themes.through
        organization_themes.objects.bulk_create(
            [
                organization_themes(organization_id=organization.pk, theme_id=theme.pk)
                for organization in organizations
                for theme in rng.sample(themes, rng.randint(0, 3))
            ],
            batch_size=5000,
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
                for index in range(CONVENINGS)
            ]
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
        recommendations = Recommendation.objects.bulk_create(
            [
                Recommendation(
                    convening=convening,
                    number=number,
                    headline=headline(rng),
                    body=" ".join(sentence(rng) for _ in range(rng.randint(2, 5))),
                    status=rng.choice(statuses),
                )
                for convening in convenings
                for number in range(1, PER_CONVENING + 1)
            ],
            batch_size=2000,
        )
        say(f"{len(convenings)} convenings, {len(recommendations)} recommendations")

        SubItem.objects.bulk_create(
            [
                SubItem(recommendation=recommendation, letter=letter, text=sentence(rng))
                for recommendation in recommendations
                if rng.random() < 0.3
                for letter in "abcd"[: rng.randint(2, 4)]
            ],
            batch_size=5000,
        )
        rec_themes = Recommendation.themes.through
        rec_themes.objects.bulk_create(
            [
                rec_themes(recommendation_id=recommendation.pk, theme_id=theme.pk)
                for recommendation in recommendations
                for theme in rng.sample(themes, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        rec_addressees = Recommendation.addressees.through
        rec_addressees.objects.bulk_create(
            [
                rec_addressees(recommendation_id=recommendation.pk, addressee_id=addressee.pk)
                for recommendation in recommendations
                for addressee in rng.sample(addressees, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        say("sub-items, themes and addressees")

        # A skewed spread, as in life: a few recommendations gather most endorsements.
        weights = [1 / (1 + index % 97) for index in range(len(recommendations))]
        per_recommendation: dict[int, set[int]] = {}
        picks = rng.choices(range(len(recommendations)), weights=weights, k=ENDORSEMENTS * 2)
        endorsements = []
        for pick in picks:
            chosen = per_recommendation.setdefault(pick, set())
            organization = organizations[rng.randrange(len(organizations))]
            if organization.pk in chosen:
                continue
            chosen.add(organization.pk)
            endorsements.append(
                Endorsement(
                    recommendation=recommendations[pick],
                    organization=organization,
                    signatory_name="Bench Signatory",
                    is_named=rng.random() > 0.1,
                    withdrawn_at=now if rng.random() < 0.05 else None,
                    created_at=now,
                )
            )
            if len(endorsements) == ENDORSEMENTS:
                break
        Endorsement.objects.bulk_create(endorsements, batch_size=5000)
        say(f"{len(endorsements)} endorsements")

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
