"""Import a meeting summary from a file: ``import_summary PATH [--dry-run] [--json] [--publish]``.

Without ``--dry-run`` it creates a draft convening (published with ``--publish``) and prints its
slug as the last line, so scripts can capture it. Importing the same document again updates the
draft it created (or, once published, leaves it alone), so running it twice never duplicates.
``--dry-run --json`` prints the parse result as one JSON object and changes nothing, with the
preview's suggestions beside it: ``suggested_participants``, ``suggested_next_step_owners`` and
``suggested_proposals`` at the top level (matched against the whole directory, as the secretariat
sees it: whoever runs the command runs the server).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.models import Convening
from events.services import PublishNeedsConfirmation
from importing.parser import ParseResult, parse_summary
from importing.readers import DocumentError, check_size, read_document
from importing.selectors import import_suggestions, organization_directory_unrestricted
from importing.services import (
    ImportMetadata,
    ImportRefused,
    convening_import,
    import_preview,
    import_target,
    result_counts,
    source_sha256,
)
from importing.suggest_tags import with_tag_suggestions


class Command(BaseCommand):
    help = "Import a meeting summary (.txt, .md, .docx or .pdf) as a draft convening; prints its slug last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the summary file")
        parser.add_argument("--dry-run", action="store_true", help="parse and report; change nothing")
        parser.add_argument("--json", action="store_true", help="print the parse result as one JSON object")
        parser.add_argument("--publish", action="store_true", help="publish the convening once imported")
        parser.add_argument(
            "--confirm-duplicate", action="store_true", help="publish even if it looks like a duplicate of another"
        )
        parser.add_argument("--into", metavar="SLUG", help="update this draft instead of finding it by the text")
        parser.add_argument("--kind", choices=Convening.Kind.values, help="the kind, when the text does not say")
        parser.add_argument("--start-date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="the start date")
        parser.add_argument("--title", help="the title, when the text does not give one")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        text = self._read(path)
        result = parse_summary(text)
        if options["dry_run"] and options["json"]:
            self.stdout.write(json.dumps(self._with_suggestions(result), ensure_ascii=False))
            return
        for problem in result.problems:
            self.stderr.write(f"{path.name}:{problem.line}: {problem.message}")

        sha256 = source_sha256(text)
        overrides = {name: options[name] for name in ("title", "kind", "start_date") if options[name]}
        guessed = ImportMetadata.from_result(result, source_sha256=sha256, **overrides)
        if not guessed.title:
            guessed.title = path.stem
            self.stderr.write(f"No title was recognised: the file name is used ({path.stem}); pass --title to choose.")
        if result.kind is None and "kind" not in overrides:
            self.stderr.write(f"No kind was recognised: imported as “{guessed.kind}”; pass --kind to choose.")
        into, unchanged = self._target(options["into"], guessed, sha256)
        metadata = ImportMetadata.from_convening(into, source_sha256=sha256, **overrides) if into else guessed
        if metadata.start_date is None:
            raise CommandError("No date was found in the document: pass --start-date YYYY-MM-DD.")

        if options["json"]:
            self.stdout.write(json.dumps(self._with_suggestions(result), ensure_ascii=False))
        if unchanged is not None:
            self.stdout.write(f"{unchanged.code} was imported from this text before and is published; nothing changed.")
            self.stdout.write(unchanged.slug)
            return
        if options["dry_run"]:
            self._report_dry_run(text, result, into)
            return
        try:
            convening = convening_import(
                result=result,
                metadata=metadata,
                user=None,
                into=into,
                publish=options["publish"],
                confirm_duplicate=options["confirm_duplicate"],
            )
        except ImportRefused as exc:
            raise CommandError(exc.message) from exc
        except PublishNeedsConfirmation as exc:
            raise CommandError(f"{exc} Nothing was imported; pass --confirm-duplicate to publish it.") from exc
        state = "published" if convening.is_published else "draft"
        verb = "Updated" if into else "Created"
        self.stdout.write(f"{verb} {state} {convening.code}: {self._counts(result)}.")
        self.stdout.write(convening.slug)

    @staticmethod
    def _with_suggestions(result: ParseResult) -> dict[str, Any]:
        suggestions = import_suggestions(result=result, directory=organization_directory_unrestricted())
        data = {**result.to_dict(), **suggestions.to_dict()}
        return with_tag_suggestions(data, themes=suggestions.themes, addressees=suggestions.addressees)

    def _read(self, path: Path) -> str:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            check_size(path.stat().st_size)  # before reading, so a huge file is never loaded into memory
            return read_document(filename=path.name, data=path.read_bytes())
        except DocumentError as exc:
            raise CommandError(exc.message) from exc

    def _target(
        self, slug: str | None, guessed: ImportMetadata, sha256: str
    ) -> tuple[Convening | None, Convening | None]:
        """(the draft to update or None for a new one, the published convening already holding this text)."""
        into = None
        if slug:
            into = Convening.objects.filter(slug=slug).first()
            if into is None:
                raise CommandError(f"No convening has the slug {slug}.")
            if into.is_published:
                raise CommandError(f"{into.code} is published: it cannot be imported over.")
        target = import_target(sha256=sha256, metadata=guessed, into=into)
        previous = target.previous
        if previous is None:
            return target.into, None
        if previous.source_sha256 == sha256:
            return None, previous
        raise CommandError(
            f"This summary was imported before as {previous.code}, which is published and cannot be imported over. "
            "Edit it in the admin instead."
        )

    def _report_dry_run(self, text: str, result: ParseResult, into: Convening | None) -> None:
        preview = import_preview(text=text, result=result, into=into)
        self.stdout.write(f"Recognised: {self._counts(result)}; {len(result.problems)} problem(s).")
        if into is None:
            self.stdout.write("Dry run: a new draft would be created; nothing was changed.")
            return
        if preview.diff is None:
            raise CommandError(preview.error)
        self.stdout.write(f"Dry run: the draft {into.code} would be updated; nothing was changed.")
        for part in preview.diff.parts:
            if part.has_changes:
                self.stdout.write(
                    f"  {part.label}: added {', '.join(part.added) or '-'}; changed {', '.join(part.changed) or '-'}; "
                    f"removed {', '.join(part.removed) or '-'}"
                )
        if not preview.diff.has_changes:
            self.stdout.write("  No changes.")

    @staticmethod
    def _counts(result: ParseResult) -> str:
        counts = result_counts(result)
        return (
            f"{counts['key_themes']} key themes, {counts['recommendations']} recommendations "
            f"({counts['sub_items']} sub-items), {counts['sessions']} sessions, {counts['paragraphs']} paragraphs, "
            f"{counts['footnotes']} footnotes, {counts['next_steps']} next steps"
        )
