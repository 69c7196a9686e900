from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import weasyprint
from django.core.management import CommandError, call_command

from conftest import ROUNDTABLE, VIENNA, seed_path
from events.models import Convening, Footnote, Paragraph
from importing.readers import MAX_UPLOAD_BYTES
from importing.tests.documents import NO_NUMBERING, SMALL_SUMMARY, SMALL_SUMMARY_CORRECTED
from recommendations.models import Recommendation, SubItem

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_summary", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_import_summary_vienna_seed_creates_every_part() -> None:
    lines, _ = _run(str(seed_path(VIENNA)))

    convening = Convening.objects.get(slug=lines[-1])
    sessions = list(convening.sessions.order_by("order"))
    assert convening.status == Convening.Status.DRAFT
    assert Recommendation.objects.filter(convening=convening).count() == 13
    assert SubItem.objects.filter(recommendation__convening=convening).count() == 18
    assert [s.paragraphs.count() for s in sessions] == [5, 10, 6, 5, 5]
    assert list(Paragraph.objects.filter(convening=convening).values_list("number", flat=True)) == list(range(1, 32))
    assert Footnote.objects.filter(convening=convening).count() == 2


def test_import_summary_roundtable_seed_gives_eight_paragraphs_and_no_recommendations() -> None:
    lines, _ = _run(str(seed_path(ROUNDTABLE)))

    convening = Convening.objects.get(slug=lines[-1])
    assert list(convening.paragraphs.values_list("number", flat=True)) == list(range(1, 9))
    assert convening.recommendations.count() == 0


def test_import_summary_both_seeds_twice_never_duplicates() -> None:
    paths = [str(seed_path(VIENNA)), str(seed_path(ROUNDTABLE))]
    first = [_run(path, "--publish")[0][-1] for path in paths]
    counts = (Convening.objects.count(), Paragraph.objects.count(), Recommendation.objects.count())

    second = [_run(path, "--publish")[0][-1] for path in paths]

    assert first == second
    assert (Convening.objects.count(), Paragraph.objects.count(), Recommendation.objects.count()) == counts
    assert set(Convening.objects.values_list("status", flat=True)) == {Convening.Status.PUBLISHED}


def test_import_summary_dry_run_json_prints_one_object_and_changes_nothing() -> None:
    lines, _ = _run(str(seed_path(VIENNA)), "--dry-run", "--json")

    data = json.loads("\n".join(lines))
    assert len(data["recommendations"]) == 13
    assert [len(s["paragraphs"]) for s in data["sessions"]] == [5, 10, 6, 5, 5]
    assert set(data) >= {"title", "kind", "start_date", "sessions", "footnotes", "next_steps", "problems"}
    assert Convening.objects.count() == 0


def test_import_summary_dry_run_reports_and_changes_nothing(tmp_path: Path) -> None:
    lines, _ = _run(_write(tmp_path, "small.txt", SMALL_SUMMARY), "--dry-run")

    assert lines[0].startswith("Recognised: 0 key themes, 0 recommendations")
    assert "nothing was changed" in lines[-1]
    assert Convening.objects.count() == 0


def test_import_summary_json_without_dry_run_prints_json_then_slug(tmp_path: Path) -> None:
    lines, _ = _run(_write(tmp_path, "small.txt", SMALL_SUMMARY), "--json")

    assert json.loads(lines[0])["title"] == "Roundtable on Neighbourhood Mediation"
    assert lines[-1] == Convening.objects.get().slug


def test_import_summary_publish_publishes() -> None:
    lines, _ = _run(str(seed_path(ROUNDTABLE)), "--publish")

    assert Convening.objects.get(slug=lines[-1]).status == Convening.Status.PUBLISHED


def test_import_summary_corrected_text_updates_the_draft_in_place(tmp_path: Path) -> None:
    slug = _run(_write(tmp_path, "summary.txt", SMALL_SUMMARY))[0][-1]
    first_ids = list(Paragraph.objects.order_by("number").values_list("pk", flat=True))

    dry, _ = _run(_write(tmp_path, "summary.txt", SMALL_SUMMARY_CORRECTED), "--dry-run")
    lines, _ = _run(str(tmp_path / "summary.txt"))

    assert any("added ¶3; changed ¶2" in line for line in dry)
    assert lines[-1] == slug
    assert lines[0].startswith("Updated draft")
    assert list(Paragraph.objects.order_by("number").values_list("pk", flat=True))[:2] == first_ids
    assert Paragraph.objects.count() == 3
    assert Convening.objects.count() == 1


def test_import_summary_corrected_text_of_a_published_convening_is_refused(tmp_path: Path) -> None:
    _run(_write(tmp_path, "summary.txt", SMALL_SUMMARY), "--publish")

    with pytest.raises(CommandError, match="published"):
        _run(_write(tmp_path, "summary.txt", SMALL_SUMMARY_CORRECTED))

    assert Paragraph.objects.count() == 2


def test_import_summary_into_names_the_draft(tmp_path: Path) -> None:
    slug = _run(_write(tmp_path, "a.txt", SMALL_SUMMARY))[0][-1]

    lines, _ = _run(_write(tmp_path, "b.txt", NO_NUMBERING), "--into", slug)

    assert lines[-1] == slug
    assert Convening.objects.count() == 1
    assert Paragraph.objects.get(number=1).text.startswith("The workshop heard")


def test_import_summary_without_numbering_imports_paragraphs_and_warns(tmp_path: Path) -> None:
    lines, err = _run(_write(tmp_path, "plain.txt", NO_NUMBERING))

    assert "No numbering was found" in err
    assert list(Convening.objects.get(slug=lines[-1]).paragraphs.values_list("number", flat=True)) == [1, 2]


def _scan_pdf() -> bytes:
    svg = '<svg width="400" height="300" xmlns="http://www.w3.org/2000/svg"><rect width="380" height="280"/></svg>'
    return bytes(weasyprint.HTML(string=svg).write_pdf())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "The file is empty."),
        ("junk.txt", bytes(range(256)) * 40, "binary data"),
        ("huge.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "over the 5 MB limit"),
        ("scan.pdf", None, "no text layer"),
        ("undated.txt", b"Roundtable on Mediation\n\n1. A paragraph without a date.\n", "--start-date"),
    ],
    ids=["empty", "binary", "too-big", "pdf-without-text", "no-date"],
)
def test_import_summary_bad_input_explains_and_creates_nothing(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = _write(tmp_path, name, content if content is not None else _scan_pdf())

    with pytest.raises(CommandError, match=message):
        _run(path)

    assert Convening.objects.count() == 0


def test_import_summary_missing_file_explains(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "nowhere.txt"))


def test_import_summary_start_date_option_fills_a_missing_date(tmp_path: Path) -> None:
    path = _write(tmp_path, "undated.txt", "Roundtable on Mediation\n\n1. A paragraph without a date.\n")

    lines, _ = _run(path, "--start-date", "2020-02-02")

    assert str(Convening.objects.get(slug=lines[-1]).start_date) == "2020-02-02"
