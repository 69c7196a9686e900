"""Recurrence suggestions: precision and recall of the similarity, and the task's time on the bench.

    .venv/bin/python bench/bench_recurrence.py            # corpora only (no database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_<you>_bench \
        .venv/bin/python bench/bench_recurrence.py --task  # plus the task on 20,000 recommendations

1. A generated corpus: ``ASKS`` are written for this bench, each in two wordings that share little
   but the subject (so a paraphrase is not a copy). Around them, actors, verbs and purposes are
   drawn from synonym sets, so a restatement's other words differ too, and distractors share the
   actors and verbs but not the subject. The index holds the first wording of the first
   ``INDEXED`` asks amid ``BACKGROUND`` recommendations of the bench generator; the queries are
   the second wordings of every ask, ``VARIANTS`` each: those of indexed asks are paraphrase
   pairs (the original must come first, above the threshold), the others distractors (nothing
   may come above it). Precision and recall are printed per threshold. Its distractors share
   templated actors, verbs and purposes with the indexed asks, which keeps precision low here
   (suggestions are confirmed by a person; a missed restatement is never seen).
2. The test corpus (recommendations/tests/recurrence_corpus.py) against the Vienna seed, parsed
   with the project's parser: rank of the original and score of every restatement and new ask.
   ``RECURRENCE_THRESHOLD`` (0.16) lies in the gap between its restatements (≥ 0.186) and its new
   asks (≤ 0.100), where the generated corpus's recall is still at its plateau (0.787).
3. ``--task``: on the bench database (bench/generate_bench_data.py), a new 50-recommendation
   convening is created (in a transaction rolled back at the end), the suggestion service runs on
   it, and its time and the process's peak memory (RSS) are printed. Targets: ≤ 10 s, ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generate_bench_data import headline, sentence  # noqa: E402  # beside this script

from recommendations.similarity import RECURRENCE_THRESHOLD, SimilarityIndex, recommendation_text  # noqa: E402

SEED = 16
INDEXED = 40
VARIANTS = 4
BACKGROUND = 600

ACTORS = [
    ["Governments", "States", "National authorities"],
    ["Donors", "Funders", "Development partners"],
    ["The United Nations", "UN agencies", "UN entities"],
    ["Municipalities", "Local authorities", "City councils"],
    ["Civil-society organizations", "CSOs", "Community groups"],
    ["Regional organizations", "Regional bodies", "Regional institutions"],
]
VERBS = [
    ["should fund", "should finance", "ought to pay for"],
    ["should support", "need to back", "should assist"],
    ["should set up", "should establish", "must create"],
    ["should expand", "should scale up", "need to widen"],
    ["should protect", "must safeguard", "should shield"],
    ["should prioritise", "must put first", "should give priority to"],
]
PURPOSES = [
    ["so that prevention efforts last", "to make prevention work sustainable", "for lasting prevention"],
    ["and report on progress every year", "with yearly public reporting", "and say each year what was done"],
    ["in close consultation with communities", "after asking the communities concerned", "with local people"],
    ["", "", ""],
]
# Each ask in two wordings written for this bench: the same request, said differently.
ASKS = [
    (
        "gender-sensitive rehabilitation for women returning from conflict zones",
        "rehabilitation services that take gender into account for returning women",
    ),
    (
        "the translation of training manuals into local languages",
        "training materials translated into the languages communities actually speak",
    ),
    (
        "an end to stigmatising labels in official statements about minorities",
        "official communication that stops stigmatizing minority communities with labels",
    ),
    (
        "standing youth councils that advise on prevention strategies",
        "permanent councils of young people consulted on prevention strategy",
    ),
    (
        "multi-year core funding for small grassroots organizations",
        "grassroots groups with core grants over several years rather than project money",
    ),
    (
        "legal protection for civil-society staff who receive threats",
        "staff of civil-society groups facing threats protected by law",
    ),
    (
        "psychosocial support for the families of foreign fighters",
        "counselling and psychological help for relatives of foreign fighters",
    ),
    (
        "independent evaluation of deradicalisation programmes in prisons",
        "prison deradicalization programmes evaluated by independent experts",
    ),
    (
        "mentoring schemes pairing new organizations with experienced ones",
        "experienced organizations mentoring newly founded ones in twinning schemes",
    ),
    (
        "community policing forums where residents meet officers regularly",
        "regular forums in which residents and police officers meet as neighbours",
    ),
    ("research on online recruitment by violent groups", "studies of how violent groups recruit on the internet"),
    (
        "vocational training and jobs for former detainees",
        "former prisoners helped into work through vocational courses and employment",
    ),
    (
        "safe reporting channels for teachers worried about pupils",
        "confidential channels through which teachers can raise concerns about pupils",
    ),
    (
        "faith leaders included in the design of reintegration plans",
        "religious leaders involved when reintegration plans are designed",
    ),
    (
        "a public registry of funding for prevention projects",
        "an open register showing who funds which prevention project",
    ),
    (
        "media literacy classes in secondary schools",
        "secondary-school lessons that teach pupils to read the media critically",
    ),
    ("simplified registration rules for new associations", "simpler rules for registering a new association"),
    ("shelters for women escaping armed groups", "safe houses for women who leave armed groups"),
    (
        "cooperation between technology companies and local groups against online hate",
        "tech firms working with local organizations to counter hate online",
    ),
    (
        "sports programmes for young people in marginalised neighbourhoods",
        "football and other sport for youth in deprived districts",
    ),
    (
        "data on returnees shared with the organizations that support them",
        "information about returnees made available to the groups assisting them",
    ),
    (
        "trauma-informed care for child returnees",
        "children coming back from conflict zones given care that is informed by trauma",
    ),
    (
        "pooled funds that small organizations can apply to in their own language",
        "joint funds open to applications from small groups in local languages",
    ),
    (
        "dialogue between border communities on both sides of the frontier",
        "cross-border talks among communities living along the frontier",
    ),
    (
        "training for journalists on reporting terrorism without sensationalism",
        "journalists trained to cover terrorist attacks without sensational coverage",
    ),
    ("a national action plan drafted with civil society", "civil society involved in writing the national action plan"),
    (
        "exit programmes for people leaving extremist movements",
        "programmes that help people to exit extremist movements",
    ),
    (
        "security support for human-rights defenders at risk",
        "protection and security help for human rights defenders under threat",
    ),
    (
        "alternatives to detention for minors accused of terrorism offences",
        "children charged with terrorist offences diverted away from detention",
    ),
    (
        "academic partnerships to study local drivers of radicalisation",
        "partnerships with universities researching what drives radicalization locally",
    ),
    (
        "mental-health services in refugee camps",
        "psychiatric and mental health care available in the camps for refugees",
    ),
    (
        "transparent criteria for listing organizations as terrorist",
        "clear and public criteria for designating groups as terrorist organizations",
    ),
    (
        "intergenerational dialogue between elders and youth",
        "conversations bringing older and younger generations together",
    ),
    (
        "microfinance for women starting businesses after conflict",
        "small loans for women who start a business once the conflict ends",
    ),
    (
        "after-care for prisoners released after serving terrorism sentences",
        "support after release for those who served sentences for terrorism",
    ),
    (
        "local radio programmes that give voice to victims of violence",
        "community radio shows in which victims of violent attacks speak",
    ),
    (
        "consultation of civil society before counter-terrorism laws are passed",
        "civil society consulted before any counter-terrorism law is adopted",
    ),
    (
        "school curricula that teach critical thinking and tolerance",
        "lessons in schools on critical thought and tolerance of others",
    ),
    (
        "cooperation among civil-society networks across the region",
        "regional networks of civil-society organizations working together",
    ),
    (
        "fundraising from local businesses to keep projects going",
        "local companies asked to give money so projects can continue",
    ),
    # Distractors: never indexed; their queries must find nothing above the threshold.
    (
        "the restoration of historic theatres in provincial towns",
        "old theatres in provincial towns brought back into use",
    ),
    ("cheaper public transport for pensioners", "lower bus and tram fares for retired people"),
    (
        "open data on air quality in industrial cities",
        "air pollution measurements published openly for industrial towns",
    ),
    ("the digitisation of land registries", "land records moved from paper to a digital registry"),
    ("broadband internet for remote mountain villages", "fast internet connections for villages in the mountains"),
    ("protection of wetlands from drainage for agriculture", "wetlands kept from being drained for farmland"),
    ("a tax credit for companies that hire apprentices", "firms employing apprentices given tax relief"),
    ("public libraries open on Sundays", "libraries opening their doors on Sunday as well"),
    ("clear labelling of allergens on restaurant menus", "restaurants stating allergens clearly on their menus"),
    ("restoration of river banks after floods", "repairing riverbanks once floodwaters recede"),
    ("earthquake-resistant building codes for schools", "school buildings designed to withstand earthquakes"),
    ("a helpline for farmers facing drought", "a phone line that farmers hit by drought can call"),
    ("affordable childcare near industrial parks", "low-cost day care close to industrial estates"),
]


def ask_text(rng: random.Random, wording: str, variant: int) -> str:
    actor, verb, purpose = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(PURPOSES)
    pick = variant % 3
    if variant % 2:
        return f"{wording[0].upper()}{wording[1:]}: {actor[pick].lower()} {verb[pick]} it {purpose[pick]}.".replace(
            " .", "."
        )
    return f"{actor[pick]} {verb[pick]} {wording} {purpose[pick]}.".replace(" .", ".")


def generated_corpus() -> tuple[list[tuple[int, str]], list[tuple[str, int | None]]]:
    rng = random.Random(SEED)
    docs = [
        (10_000 + n, recommendation_text(headline(rng), " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))))
        for n in range(BACKGROUND)
    ]
    docs += [(n, ask_text(rng, first, 0)) for n, (first, _second) in enumerate(ASKS[:INDEXED])]
    queries: list[tuple[str, int | None]] = []
    for n, (_first, second) in enumerate(ASKS):
        for variant in range(1, VARIANTS + 1):
            queries.append((ask_text(rng, second, variant), n if n < INDEXED else None))
    return docs, queries


def precision_recall(
    index: SimilarityIndex, queries: list[tuple[str, int | None]], threshold: float
) -> tuple[float, float, int, int, int]:
    best = index.nearest_many([text for text, _ in queries], 1, min_score=threshold)
    tp = fp = 0
    positives = sum(1 for _, expected in queries if expected is not None)
    for found, (_text, expected) in zip(best, queries, strict=True):
        if not found:
            continue
        if found[0].id == expected:
            tp += 1
        else:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / positives, tp, fp, positives


def bench_generated() -> None:
    docs, queries = generated_corpus()
    index = SimilarityIndex.build(docs)
    pairs = len(queries)
    print(
        f"generated corpus: {len(docs)} documents, {pairs} query pairs "
        f"({sum(e is not None for _, e in queries)} paraphrase, {sum(e is None for _, e in queries)} distractor)"
    )
    print("threshold  precision  recall   tp  fp")
    for step in range(10, 41, 2):
        threshold = step / 100
        p, r, tp, fp, _pos = precision_recall(index, queries, threshold)
        mark = "  <- RECURRENCE_THRESHOLD" if abs(threshold - RECURRENCE_THRESHOLD) < 1e-9 else ""
        print(f"  {threshold:.2f}      {p:.3f}    {r:.3f}  {tp:3d} {fp:3d}{mark}")
    p, r, tp, fp, pos = precision_recall(index, queries, RECURRENCE_THRESHOLD)
    print(f"at {RECURRENCE_THRESHOLD:.2f}: precision {p:.3f}, recall {r:.3f} ({tp} of {pos} found, {fp} wrong)")


def bench_vienna() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from conftest import VIENNA, seed_text
    from importing.parser import parse_summary
    from recommendations.tests.recurrence_corpus import NEW_ASKS, RESTATEMENTS

    vienna = parse_summary(seed_text(VIENNA)).recommendations
    docs = [(r.number, recommendation_text(r.headline, r.body, [s.text for s in r.sub_items])) for r in vienna]
    second = [(100 + number, *ask) for number, ask in RESTATEMENTS.items()]
    second += [(200 + n, *ask) for n, ask in enumerate(NEW_ASKS)]
    docs += [(pk, recommendation_text(h, b, s)) for pk, h, b, s in second]
    index = SimilarityIndex.build(docs)
    own = [pk for pk, *_ in second]
    tp = fp = 0
    print(f"Vienna test corpus: {len(RESTATEMENTS)} restatements, {len(NEW_ASKS)} new asks")
    for pk, found in zip(own, index.nearest_many(own, 3, exclude=own), strict=True):
        expected = pk - 100 if pk < 200 else None
        above = [n for n in found if n.score > RECURRENCE_THRESHOLD]
        tp += bool(above and above[0].id == expected)
        fp += bool(above and above[0].id != expected)
        ranked = ", ".join(f"R{n.id} {n.score:.3f}" for n in found)
        print(f"  {'R' + str(expected) if expected else 'new':>4}: {ranked}")
    positives = len(RESTATEMENTS)
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"at {RECURRENCE_THRESHOLD:.2f}: precision {precision:.3f}, recall {tp / positives:.3f}")


def bench_task() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction

    from events.models import Convening
    from recommendations.models import Recommendation, RecurrenceSuggestion
    from recommendations.services import recurrence_suggestions_compute

    if connection.vendor != "postgresql":
        raise SystemExit("--task is for the PostgreSQL bench database (DATABASE_URL)")
    total = Recommendation.objects.count()
    rng = random.Random(SEED)
    with transaction.atomic():
        convening = Convening.objects.create(
            title="Recurrence bench convening",
            slug="recurrence-bench",
            code="BENCH-2026-REC",
            kind=Convening.Kind.CIVIL_SOCIETY_DAY,
            start_date=dt.date(2026, 5, 1),
            status=Convening.Status.DRAFT,
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                convening=convening,
                number=n + 1,
                headline=headline(rng),
                body=" ".join(sentence(rng) for _ in range(rng.randint(2, 5))),
            )
            for n in range(50)
        )
        started, cpu = time.perf_counter(), time.process_time()
        result = recurrence_suggestions_compute(convening_id=convening.pk)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        stored = RecurrenceSuggestion.objects.filter(recommendation__convening=convening).count()
        transaction.set_rollback(True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU time too: on a shared machine the wall time is mostly waiting for a core.
    print(
        f"task on {total} recommendations + 50 new: {seconds:.2f} s ({cpu:.2f} s CPU), peak RSS {peak:.0f} MB, "
        f"{stored} suggestions stored ({result})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="store_true", help="also time the task on the bench database")
    parser.add_argument("--task-only", action="store_true", help="only the task (its memory alone)")
    args = parser.parse_args()
    if not args.task_only:
        bench_generated()
        bench_vienna()
    if args.task or args.task_only:
        bench_task()


if __name__ == "__main__":
    main()
