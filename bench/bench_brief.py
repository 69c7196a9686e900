"""One-page brief benchmark: layouts per brief, and the renderer against bare WeasyPrint.

    .venv/bin/python bench/bench_brief.py           # SQLite in a temporary folder; seeds from GSX_SEEDS_DIR

For the Vienna brief, a 5- and a 40-recommendation brief, the project's renderer
(``render_brief_document``: planning, HTML building, QR code, the layout, language metadata and
PDF) is timed against bare WeasyPrint given the renderer's own final HTML, interleaved in one
run (ABBA order, so drift and cache warmth fall on both). The bare side is favoured, not
handicapped: its stylesheet is parsed once before the loop, as a caller who cared would do;
WeasyPrint's defaults do the rest (its own URL fetcher and a font configuration per call).

Targets: every brief one page and one layout; median renderer / median bare ≤ 1.1 over the
three briefs. Exits non-zero when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="gsx-bench-brief-"))
os.environ.setdefault("DEBUG", "1")
os.environ["PUBLICATIONS_ROOT"] = str(SCRATCH / "publications")
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.pop("DATABASE_URL", None)  # pure renders: the database only builds the data
os.environ["GSX_VAR_DIR"] = str(SCRATCH)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gsx_portal.settings")

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402

from publications import render, selectors  # noqa: E402
from publications.models import Audience  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "12"))
TARGET_RATIO = 1.1


def briefs() -> dict[str, object]:
    from conftest import VIENNA, seeds_dir, vienna_convening
    from publications.tests.helpers import convening_with

    made = {}
    if (seeds_dir() / VIENNA).is_file():
        made["Vienna (13)"] = vienna_convening()
    else:
        print(f"no Vienna seed at {seeds_dir() / VIENNA}: set GSX_SEEDS_DIR; using 13 generated")
        made["13 generated"] = convening_with(13)
    made["5"] = convening_with(5)
    made["40 (long)"] = convening_with(40, long=True)
    return {name: selectors.convening_brief_data(convening=c, audience=Audience.PUBLIC) for name, c in made.items()}


def main() -> int:
    call_command("migrate", verbosity=0)
    data = briefs()
    render.warm_up()
    stylesheet = weasyprint.CSS(filename=finders.find(render.STYLESHEET))

    def bare(html: str) -> bytes:
        return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet], pdf_variant=render.PDF_VARIANT)

    ok = True
    finals = {}
    print(f"{'brief':<14} {'pages':>5} {'layouts':>7}")
    for name, brief in data.items():
        rendered = render.render_brief_document(brief, audience=Audience.PUBLIC)  # type: ignore[arg-type]
        finals[name] = rendered.html
        ok &= rendered.pages == 1 and rendered.layouts == 1
        print(f"{name:<14} {rendered.pages:>5} {rendered.layouts:>7}")
        bare(rendered.html)  # warm both sides alike

    ours: dict[str, list[float]] = {name: [] for name in data}
    theirs: dict[str, list[float]] = {name: [] for name in data}
    for round_ in range(ROUNDS):
        for name, brief in data.items():
            order = ("ours", "bare") if round_ % 2 == 0 else ("bare", "ours")
            for side in order:
                started = time.perf_counter()
                if side == "ours":
                    render.render_brief_document(brief, audience=Audience.PUBLIC)  # type: ignore[arg-type]
                    ours[name].append(time.perf_counter() - started)
                else:
                    bare(finals[name])
                    theirs[name].append(time.perf_counter() - started)

    print(f"\n{ROUNDS} interleaved rounds; medians in ms")
    print(f"{'brief':<14} {'renderer':>9} {'bare':>9} {'ratio':>6}")
    for name in data:
        a, b = statistics.median(ours[name]), statistics.median(theirs[name])
        print(f"{name:<14} {a * 1000:>9.1f} {b * 1000:>9.1f} {a / b:>6.2f}")
    every_ours = statistics.median(t for times in ours.values() for t in times)
    every_bare = statistics.median(t for times in theirs.values() for t in times)
    # The figure the target is on: per brief, the ratio of medians, then their median.
    ratios = sorted(statistics.median(ours[n]) / statistics.median(theirs[n]) for n in data)
    ratio = statistics.median(ratios)
    print(f"{'all three':<14} {every_ours * 1000:>9.1f} {every_bare * 1000:>9.1f} {every_ours / every_bare:>6.2f}")
    print(f"\nmedian of the three ratios: {ratio:.2f} (target ≤ {TARGET_RATIO}); load {os.getloadavg()[0]:.1f}")
    ok &= ratio <= TARGET_RATIO
    print("ok" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
