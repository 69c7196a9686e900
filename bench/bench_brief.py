"""One-page brief benchmark: layouts per brief, and the renderer against bare WeasyPrint.

    .venv/bin/python bench/bench_brief.py           # SQLite in a temporary folder; seeds from GSX_SEEDS_DIR

For the Vienna brief, a 5- and a 40-recommendation brief, the project's renderer
(``render_brief_document``: planning, HTML building, QR code, the layout, language metadata and
PDF) is timed against bare WeasyPrint given the renderer's own final HTML, interleaved in one
run (ABBA order, so drift and cache warmth fall on both). The bare side is favoured, not
handicapped: its stylesheet is parsed once before the loop, as a caller who cared would do;
WeasyPrint's defaults do the rest (its own URL fetcher and a font configuration per call). A
third column, "warm", also hands bare WeasyPrint one font configuration for every call: what is
left between it and the renderer is the renderer's own work (plan, HTML, metadata).

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
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from publications import render, selectors  # noqa: E402
from publications.models import Audience  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "12"))
TARGET_RATIO = 1.1
SIDES = ("renderer", "bare", "warm")


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

    fonts = FontConfiguration()

    def bare(html: str) -> bytes:
        return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet], pdf_variant=render.PDF_VARIANT)

    def warm(html: str) -> bytes:
        return weasyprint.HTML(string=html).write_pdf(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant=render.PDF_VARIANT
        )

    ok = True
    finals = {}
    print(f"{'brief':<14} {'pages':>5} {'layouts':>7}")
    for name, brief in data.items():
        rendered = render.render_brief_document(brief, audience=Audience.PUBLIC)  # type: ignore[arg-type]
        finals[name] = rendered.html
        ok &= rendered.pages == 1 and rendered.layouts == 1
        print(f"{name:<14} {rendered.pages:>5} {rendered.layouts:>7}")
        bare(rendered.html)  # warm every side alike
        warm(rendered.html)

    times: dict[str, dict[str, list[float]]] = {side: {name: [] for name in data} for side in SIDES}
    for round_ in range(ROUNDS):
        for name, brief in data.items():
            order = SIDES if round_ % 2 == 0 else SIDES[::-1]
            for side in order:
                started = time.perf_counter()
                if side == "renderer":
                    render.render_brief_document(brief, audience=Audience.PUBLIC)  # type: ignore[arg-type]
                elif side == "bare":
                    bare(finals[name])
                else:
                    warm(finals[name])
                times[side][name].append(time.perf_counter() - started)

    def median(side: str, name: str | None = None) -> float:
        pooled = times[side][name] if name else [t for ts in times[side].values() for t in ts]
        return statistics.median(pooled)

    print(f"\n{ROUNDS} interleaved rounds; medians in ms; ratio = renderer / bare (and / warm)")
    print(f"{'brief':<14} {'renderer':>9} {'bare':>9} {'warm':>9} {'ratio':>6} {'(warm)':>7}")
    for row in [*data, None]:
        a, b, c = median("renderer", row), median("bare", row), median("warm", row)
        label = row or "all three"
        print(f"{label:<14} {a * 1000:>9.1f} {b * 1000:>9.1f} {c * 1000:>9.1f} {a / b:>6.2f} {a / c:>7.2f}")
    ratio = median("renderer") / median("bare")
    print(f"\nrenderer / bare WeasyPrint, median over the three briefs: {ratio:.2f} (target ≤ {TARGET_RATIO}); "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    ok &= ratio <= TARGET_RATIO
    print("ok" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
