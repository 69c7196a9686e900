"""Render a document synchronously, through the same functions the workers use.

python manage.py render_pdf --convening vienna-2017 --document summary --out summary.pdf
python manage.py render_pdf --theme youth --document brief --out youth.pdf
python manage.py render_pdf --letter to-the-sg --document letter --out letter.pdf --audience network
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.models import Convening
from publications import services
from publications.models import Audience, RenderedDocument
from recommendations.models import Letter, Theme


class Command(BaseCommand):
    help = "Render a meeting summary, brief or letter to a PDF file, without the queue or the cache."

    def add_arguments(self, parser: CommandParser) -> None:
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--convening", metavar="SLUG")
        subject.add_argument("--theme", metavar="SLUG")
        subject.add_argument("--letter", metavar="SLUG")
        parser.add_argument("--document", choices=RenderedDocument.Kind.values, required=True)
        parser.add_argument("--out", required=True, metavar="FILE")
        parser.add_argument("--audience", choices=Audience.values, default=Audience.PUBLIC)
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        obj = self._subject(options)
        kind, audience = options["document"], options["audience"]
        started = time.perf_counter()
        try:
            data = services.document_data(kind=kind, obj=obj, audience=audience, language=options["language"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rendered = services.render_bytes(kind=kind, data=data, audience=audience)
        Path(options["out"]).write_bytes(rendered.pdf)
        elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"{options['out']}: {kind} of {obj} for {audience}, {rendered.pages} page(s), "
            f"{len(rendered.pdf):,} bytes, {elapsed:.0f} ms"
        )

    def _subject(self, options: dict[str, Any]) -> Convening | Theme | Letter:
        # Operators render anything (drafts included); the audience decides what the file shows.
        for option, model in (("convening", Convening), ("theme", Theme), ("letter", Letter)):
            if options[option]:
                found = model.objects.filter(slug=options[option]).first()
                if found is None:
                    raise CommandError(f"no {option} with slug {options[option]!r}")
                return found
        raise CommandError("name a --convening, --theme or --letter")
