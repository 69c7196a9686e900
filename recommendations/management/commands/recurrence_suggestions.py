"""Print a convening's recurrence suggestions: ``recurrence_suggestions --convening SLUG [--json]``.

For each recommendation, the recommendations of other convenings that read like it, best first,
with their scores (only those above the threshold are ever stored). Computes them first when the
convening has none yet. ``--json`` prints
``{"recommendations": [{"reference", "number", "candidates": [{"reference", "score", "shared"}]}]}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.models import Convening
from recommendations.models import RecurrenceSuggestion
from recommendations.selectors import convening_recurrence_suggestions
from recommendations.services import recurrence_suggestions_compute


class Command(BaseCommand):
    help = "Print a convening's recurrence suggestions (computed first when there are none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--convening", required=True, metavar="SLUG", help="the convening's slug (or code)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["convening"]
        convening = Convening.objects.filter(slug=key).first() or Convening.objects.filter(code__iexact=key).first()
        if convening is None:
            raise CommandError(f"No convening with the slug or code {key!r}.")
        if not RecurrenceSuggestion.objects.filter(recommendation__convening=convening).exists():
            recurrence_suggestions_compute(convening_id=convening.pk)
        rows: list[dict[str, Any]] = [
            {
                "reference": recommendation.reference,
                "number": recommendation.number,
                "candidates": [
                    {"reference": s.candidate.reference, "score": s.score, "shared": list(s.shared)}
                    for s in recommendation.open_suggestions  # type: ignore[attr-defined]  # the selector's
                ],
            }
            for recommendation in convening_recurrence_suggestions(convening=convening)
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"recommendations": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(str(row["reference"]))
            for candidate in row["candidates"]:
                shared = "; ".join(candidate["shared"])
                self.stdout.write(f"  {candidate['score']:.3f}  {candidate['reference']}  ({shared})")
            if not row["candidates"]:
                self.stdout.write("  —")
