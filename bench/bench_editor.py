"""Server time of the secretariat's convening editor at 13 and at 60 recommendations.

Requests ``/secretariat/convenings/<slug>/edit/`` through Django's test client, signed in as
staff with a verified second factor (the whole middleware, view, queries and template; no
network), and prints p50/p95 in milliseconds and the queries per page for a convening of 13
recommendations (the Vienna size) and one of 60, each with themes, addressees, endorsements,
status updates and participants of every visibility. Targets: p95 ≤ 300 ms, ≤ 15 queries, the
same count at both sizes. A small signed-in page is timed too, as a baseline of the machine's
load in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench_editor .venv/bin/python bench/bench_editor.py

It writes only rows whose slugs start with ``bench-editor-`` (made once, kept). Without a
DATABASE_URL it measures on a throwaway SQLite file. ``BENCH_ROUNDS`` sets requests per size (40).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile

import _django

SIZES = (13, 60)
TARGET_P95_MS = 300.0
TARGET_QUERIES = 15


def configure() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-editor.sqlite3"
    _django.serve(bench_cache=_django.bench_redis_url())
    print(f"cache: {_django.cache_in_use()}")


def convening_of(size: int) -> str:
    """The bench convening of ``size`` recommendations, made on the first run."""
    from events.models import Convening, Participation
    from organizations.models import Organization
    from recommendations.models import Addressee, Endorsement, Recommendation, Status, StatusUpdate, Theme

    slug = f"bench-editor-{size}"
    if Convening.objects.filter(slug=slug).exists():
        return slug
    convening = Convening.objects.create(
        title=f"Editor bench, {size} recommendations",
        slug=slug,
        code=f"BENCH-EDITOR-{size}",
        start_date=dt.date(2024, 5, 25),
    )
    themes = [
        Theme.objects.get_or_create(slug=f"bench-editor-theme-{n}", defaults={"name": f"Bench theme {n}"})[0]
        for n in range(12)
    ]
    addressees = [
        Addressee.objects.get_or_create(slug=f"bench-editor-addressee-{n}", defaults={"name": f"Bench addressee {n}"})[
            0
        ]
        for n in range(10)
    ]
    organizations = [
        Organization.objects.get_or_create(slug=f"bench-editor-org-{n}", defaults={"name": f"Bench organization {n}"})[
            0
        ]
        for n in range(30)
    ]
    for number in range(1, size + 1):
        recommendation = Recommendation.objects.create(
            convening=convening, number=number, headline=f"Bench recommendation {number}"
        )
        recommendation.themes.set(themes[number % 5 : number % 5 + 2])
        recommendation.addressees.set(addressees[number % 4 : number % 4 + 2])
        for organization in organizations[: number % 6]:
            Endorsement.objects.create(recommendation=recommendation, organization=organization, signatory_name="Bench")
        StatusUpdate.objects.create(recommendation=recommendation, status=Status.SUBMITTED, date=dt.date(2024, 6, 1))
    visibilities = Participation.Visibility.values
    for index, organization in enumerate(organizations[:12]):
        Participation.objects.create(convening=convening, organization=organization, visibility=visibilities[index % 3])
    return slug


def staff_client() -> object:
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _created = User.objects.get_or_create(username="bench-editor-staff", defaults={"is_staff": True})
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> int:
    configure()
    from bench_search import measure
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    client = staff_client()
    failed = False
    counts = []
    print(f"{'convening editor':<34}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for size in SIZES:
        url = f"/secretariat/convenings/{convening_of(size)}/edit/"
        p50, p95, queries = measure(client, [url])
        counts.append(queries)
        print(f"{f'{size} recommendations':<34}{p50:>9.1f}{p95:>9.1f}{queries:>9}")
        failed |= p95 > TARGET_P95_MS or queries > TARGET_QUERIES
    # A baseline in the same run: timings on a shared machine are noisy, the ratio less so.
    p50, p95, queries = measure(client, ["/accounts/my-data/"])
    print(f"{'baseline: /accounts/my-data/':<34}{p50:>9.1f}{p95:>9.1f}{queries:>9}")
    if len(set(counts)) != 1:
        print(f"the query count changes with the size: {counts}")
        failed = True
    print(
        f"targets: p95 ≤ {TARGET_P95_MS:.0f} ms, ≤ {TARGET_QUERIES} queries, constant — {'missed' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
