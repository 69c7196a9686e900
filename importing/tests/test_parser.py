"""The summary parser: the two real seeds, and every supported format on small made-up texts.

The seeds are read from the folder named by GSX_SEEDS_DIR (default ../shared/seeds beside the
repo); expectations about them are derived from the seed text here, never copied into this file.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, ROUNDTABLE, VIENNA, seed_text, seeds_dir
from importing.parser import ParseResult, find_date, parse_summary


def words(text: str) -> Counter[str]:
    """Lowercased ASCII-alphanumeric tokens, as a multiset."""
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


def values(obj: Any) -> Iterator[str]:
    """Every value (not key) of a to_dict() tree, as text."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from values(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from values(v)
    elif obj is not None:
        yield str(obj)


def squash(text: str) -> str:
    """Text without markup and spacing differences, for containment checks."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text).replace("**", "")
    return " ".join(re.sub(r"[¹²³⁰⁴-⁹]", "", text).split())


def source_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def line_after(lines: list[str], index: int) -> tuple[int, str]:
    """The next non-blank line after ``index``."""
    for j in range(index + 1, len(lines)):
        if lines[j]:
            return j, lines[j]
    raise AssertionError("no line after")


def marker_rest(line: str) -> str:
    return re.sub(r"^(?:[-•]\s*)?(?:\d+\.|[a-z]\.)\s*", "", line)


@pytest.fixture(scope="module")
def vienna() -> ParseResult:
    return parse_summary(seed_text(VIENNA))


@pytest.fixture(scope="module")
def roundtable() -> ParseResult:
    return parse_summary(seed_text(ROUNDTABLE))


# --------------------------------------------------------------------------------------------
# Seed 003: the Vienna civil society day
# --------------------------------------------------------------------------------------------


def test_vienna_recommendations_numbered_1_to_13(vienna: ParseResult) -> None:
    assert [r.number for r in vienna.recommendations] == list(range(1, 14))


def test_vienna_sub_items_only_on_2_5_6_9(vienna: ParseResult) -> None:
    letters = {r.number: "".join(s.letter for s in r.sub_items) for r in vienna.recommendations}
    assert {n: v for n, v in letters.items() if v} == {2: "abcdef", 5: "abcd", 6: "abc", 9: "abcde"}
    assert sum(len(r.sub_items) for r in vienna.recommendations) == 18
    assert all(s.text for r in vienna.recommendations for s in r.sub_items)


def test_vienna_recommendation_2_headline_is_capacity(vienna: ParseResult) -> None:
    rec = vienna.recommendations[1]
    assert rec.headline == "Capacity, Capacity, Capacity"
    assert rec.body and not rec.body.startswith((":", "*"))


def test_vienna_recommendation_12_body_includes_text_after_page_break() -> None:
    text = seed_text(VIENNA)
    lines = source_lines(text)
    start = next(i for i, line in enumerate(lines) if line.startswith("12. **"))
    _, after_break = line_after(lines, start)
    rec = parse_summary(text).recommendations[11]
    assert squash(after_break) in squash(rec.body)
    assert squash(rec.headline) in squash(lines[start])


def test_vienna_sub_item_2e_includes_continuation_line() -> None:
    text = seed_text(VIENNA)
    lines = source_lines(text)
    start = next(i for i, line in enumerate(lines) if line.startswith("- e.") and "consider" in line)
    _, continuation = line_after(lines, start)
    assert continuation.startswith("- ") and continuation[2].islower()
    sub = parse_summary(text).recommendations[1].sub_items[4]
    assert sub.letter == "e"
    assert squash(marker_rest(lines[start])) in squash(sub.text)
    assert squash(continuation[2:]) in squash(sub.text)


def test_vienna_key_themes_six_without_footnote_text(vienna: ParseResult) -> None:
    assert len(vienna.key_themes) == 6
    footnote_words = set(words(vienna.footnotes[0].text)) - set(words(" ".join(vienna.key_themes[:1])))
    for theme in vienna.key_themes:
        assert vienna.footnotes[0].text[:40] not in theme
        assert not footnote_words <= set(words(theme))
        assert "¹" not in theme
    assert vienna.key_themes_intro.endswith(":")
    assert all(t[0].islower() for t in vienna.key_themes)


def test_vienna_sessions_hold_5_10_6_5_5_paragraphs_numbered_1_to_31(vienna: ParseResult) -> None:
    assert [len(s.paragraphs) for s in vienna.sessions] == [5, 10, 6, 5, 5]
    assert [p.number for p in vienna.paragraphs] == list(range(1, 32))
    assert vienna.sessions[0].title == "Opening Session"
    assert all(s.title and s.title.startswith("Session ") for s in vienna.sessions[1:])


def test_vienna_paragraph_29_whole() -> None:
    text = seed_text(VIENNA)
    lines = source_lines(text)
    start = next(i for i, line in enumerate(lines) if line.startswith("29. "))
    _, after_break = line_after(lines, start)
    para = parse_summary(text).paragraphs[28]
    assert para.number == 29
    assert squash(marker_rest(lines[start])) + " " + squash(after_break) in squash(para.text)


def test_vienna_footnotes_linked_to_markers(vienna: ParseResult) -> None:
    text = seed_text(VIENNA)
    lines = text.split("\n")
    assert [f.number for f in vienna.footnotes] == [1, 2]
    first, second = vienna.footnotes
    assert first.marker_line is not None and "¹" in lines[first.marker_line - 1]
    assert second.marker_line is not None and "²" in lines[second.marker_line - 1]
    assert first.anchor is not None and first.anchor.kind == "summary_title"
    assert second.anchor is not None and (second.anchor.kind, second.anchor.number) == ("paragraph", 10)
    # markers are stripped from the text, and can be put back where they stood
    dumped = json.dumps(vienna.to_dict(), ensure_ascii=False)
    assert "¹" not in dumped and "²" not in dumped
    para10 = vienna.paragraphs[9]
    marked = vienna.marked_text(para10.text, "paragraph", 10)
    assert re.search(r"Kosovo\[\^2\] ", marked)
    assert vienna.marked_text(vienna.summary_title or "", "summary_title").endswith("[^2]") is False
    assert vienna.marked_text(vienna.summary_title or "", "summary_title").endswith("[^1]")
    assert first.text.startswith("The views") and second.text.startswith("All references")


def test_vienna_title_block(vienna: ParseResult) -> None:
    assert vienna.start_date == date(2017, 5, 25)
    assert vienna.end_date is None
    assert vienna.city == "Vienna"
    assert vienna.country == "Austria"
    assert vienna.venue == "Hofburg"
    assert vienna.kind == "civil_society_day"
    assert vienna.summary_title == "Meeting Summary and Recommendations"
    assert vienna.host_conference == "2017 OSCE-wide Counter-Terrorism Conference"
    assert "Civil Society Day" in vienna.title and "**" not in vienna.title
    assert vienna.overview and "(#)" not in vienna.overview


def test_vienna_parses_without_problems(vienna: ParseResult) -> None:
    assert vienna.problems == []
    assert vienna.next_steps == []


# --------------------------------------------------------------------------------------------
# Seed 000: the New York roundtable
# --------------------------------------------------------------------------------------------


def test_roundtable_eight_paragraphs_no_recommendations(roundtable: ParseResult) -> None:
    assert [p.number for p in roundtable.paragraphs] == list(range(1, 9))
    assert len(roundtable.sessions) == 1 and roundtable.sessions[0].title is None
    assert roundtable.recommendations == []
    assert roundtable.key_themes == []


def test_roundtable_title_block(roundtable: ParseResult) -> None:
    assert roundtable.start_date == date(2017, 6, 20)
    assert roundtable.city == "New York"
    assert roundtable.country == "United States"
    assert roundtable.summary_title == "Informal Meeting Summary"
    assert roundtable.kind == "roundtable"
    assert roundtable.title.startswith("Roundtable Discussion") and "#" not in roundtable.title


def test_roundtable_link_residue_removed(roundtable: ParseResult) -> None:
    dumped = json.dumps(roundtable.to_dict(), ensure_ascii=False)
    assert "(#)" not in dumped
    assert "](" not in dumped
    assert "\\(" not in dumped
    assert "Global Solutions Exchange (GSX)" in roundtable.paragraphs[0].text


def test_roundtable_page_break_text_stays_in_its_paragraph() -> None:
    text = seed_text(ROUNDTABLE)
    lines = source_lines(text)
    start = next(i for i, line in enumerate(lines) if line.startswith("3. "))
    _, after_break = line_after(lines, start)
    assert not re.match(r"\d+\.", after_break)
    para = parse_summary(text).paragraphs[2]
    assert squash(after_break) in squash(para.text)


def test_roundtable_next_step_from_commitment_paragraph(roundtable: ParseResult) -> None:
    assert len(roundtable.next_steps) == 1
    assert roundtable.next_step_paragraphs == [8]
    assert "co-chairs" in roundtable.next_steps[0]


# --------------------------------------------------------------------------------------------
# Nothing dropped
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [VIENNA, ROUNDTABLE])
def test_seed_words_kept_in_to_dict(name: str) -> None:
    """At least 99% of the source's words, counted as a multiset, are in to_dict()'s values."""
    text = seed_text(name)
    source = words(text)
    result = words(" ".join(values(parse_summary(text).to_dict())))
    missing = source - result
    assert 1 - sum(missing.values()) / sum(source.values()) >= 0.99, missing


@pytest.mark.parametrize("name", [VIENNA, ROUNDTABLE])
def test_seed_words_only_headings_missing_from_full_result(name: str) -> None:
    """With the list lead-ins and the date spelled out, only section-heading words are missing."""
    text = seed_text(name)
    result = parse_summary(text)
    extra = [result.key_themes_intro, result.recommendations_intro]
    if result.start_date:
        extra.append(result.start_date.strftime("%d %B %Y"))
    missing = words(text) - words(" ".join([*values(result.to_dict()), *extra]))
    heading_words = {"overview", "key", "themes", "recommendations", "unofficial", "summary", "of", "the", "discussion"}
    assert set(missing) <= heading_words, missing


@pytest.mark.parametrize("name", [VIENNA, ROUNDTABLE])
def test_seed_hard_wrapped_parses_with_same_structure(name: str) -> None:
    """The same seed wrapped at 72 columns, with CRLF line ends and a BOM."""
    text = seed_text(name)
    wrapped = "\r\n".join(
        "\r\n".join(textwrap.wrap(line, 72, break_on_hyphens=False)) if line.strip() else ""
        for line in text.split("\n")
    )
    want, got = parse_summary(text), parse_summary("\ufeff" + wrapped)
    assert [(r.number, len(r.sub_items)) for r in got.recommendations] == [
        (r.number, len(r.sub_items)) for r in want.recommendations
    ]
    assert [[p.number for p in s.paragraphs] for s in got.sessions] == [
        [p.number for p in s.paragraphs] for s in want.sessions
    ]
    assert len(got.key_themes) == len(want.key_themes)
    assert [f.number for f in got.footnotes] == [f.number for f in want.footnotes]
    assert got.problems == []


def test_seeds_dir_relative_setting_resolved_against_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GSX_SEEDS_DIR", "some/where")
    assert seeds_dir() == (ROOT / "some" / "where").resolve()
    monkeypatch.delenv("GSX_SEEDS_DIR")
    assert seeds_dir() == (ROOT.parent / "shared" / "seeds").resolve()


def test_seed_missing_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GSX_SEEDS_DIR", str(tmp_path))
    monkeypatch.delenv("GSX_REQUIRE_SERVICES", raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        seed_text(VIENNA)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        seed_text(VIENNA)
    monkeypatch.delenv("CI")
    monkeypatch.setenv("GSX_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception):
        seed_text(VIENNA)


# --------------------------------------------------------------------------------------------
# Formats, on small made-up texts
# --------------------------------------------------------------------------------------------

RECS_TEMPLATE = """Workshop on Testing

3 March 2020, Geneva

Meeting Summary

RECOMMENDATIONS

{body}
"""


def recs_of(body: str) -> ParseResult:
    return parse_summary(RECS_TEMPLATE.format(body=body))


@pytest.mark.parametrize(
    "body",
    [
        "1. **Fund youth:** Give money.\n2. **Protect space:** Keep it open.\n3. **Listen:** Hear them.",
        "1) **Fund youth:** Give money.\n2) **Protect space:** Keep it open.\n3) **Listen:** Hear them.",
        "Recommendation 1: Fund youth\n\nRecommendation 2: Protect space\n\nRecommendation 3: Listen",
        "I. **Fund youth:** Give money.\n\nII. **Protect space:** Keep it open.\n\nIII. **Listen:** Hear them.",
        " 1. Fund youth: Give money.\n   2. Protect space: Keep it open.\n3. Listen: Hear them.",
    ],
)
def test_recommendation_number_forms_recognised(body: str) -> None:
    result = recs_of(body)
    assert [r.number for r in result.recommendations] == [1, 2, 3]
    assert [r.headline for r in result.recommendations] == ["Fund youth", "Protect space", "Listen"]
    assert result.problems == []


@pytest.mark.parametrize(
    "items",
    [
        "a. First thing.\nb. Second thing.\nc. Third thing.",
        "a) First thing.\nb) Second thing.\nc) Third thing.",
        "(a) First thing.\n(b) Second thing.\n(c) Third thing.",
        " - a. First thing.\n - b. Second thing.\n- c. Third thing.",
        "• a. First thing.\n\n• b. Second thing.\n\n• c. Third thing.",
    ],
)
def test_sub_item_forms_recognised(items: str) -> None:
    result = recs_of(f"1. **Do things:** Such as:\n{items}\n2. **Other:** Body.")
    first, second = result.recommendations
    assert [(s.letter, s.text) for s in first.sub_items] == [
        ("a", "First thing."),
        ("b", "Second thing."),
        ("c", "Third thing."),
    ]
    assert first.body == "Such as:"
    assert second.sub_items == []


def test_sub_item_split_by_page_break_is_joined() -> None:
    result = recs_of("1. **Do:** Such as:\n - a. Train staff and\n\n- whether to pay them.\n- b. Next one.")
    subs = result.recommendations[0].sub_items
    assert [s.text for s in subs] == ["Train staff and whether to pay them.", "Next one."]


def test_recommendation_body_continues_after_page_break() -> None:
    result = recs_of("1. **Encourage partnerships** and fund local\n\nefforts. Ultimately it pays.\n\n2. **Two:** x.")
    rec = result.recommendations[0]
    assert rec.headline == "Encourage partnerships"
    assert rec.body == "Encourage partnerships and fund local efforts. Ultimately it pays."


def test_recommendation_headline_forms() -> None:
    result = recs_of(
        "1. **Bold with colon:** Body one.\n"
        "2. **Bold with period.** Body two.\n"
        "3. Colon without bold: Body three.\n"
        "4. First sentence only. Then the body.\n"
        "Recommendation 5: A short title\nGovernments should act."
    )
    heads = [(r.headline, r.body) for r in result.recommendations]
    assert heads == [
        ("Bold with colon", "Body one."),
        ("Bold with period", "Body two."),
        ("Colon without bold", "Body three."),
        ("First sentence only", "Then the body."),
        ("A short title", "Governments should act."),
    ]


def test_unlettered_bullets_under_recommendation_become_sub_items_with_problem() -> None:
    result = recs_of("1. **Do:** Such as:\n- Train staff.\n- Pay them.\n2. **Two:** x.")
    assert [s.letter for s in result.recommendations[0].sub_items] == ["a", "b"]
    assert any("without a letter" in p.message for p in result.problems)


def test_recommendation_numbering_jump_reported_with_line() -> None:
    result = recs_of("1. **One:** x.\n\n3. **Three:** y.")
    assert [r.number for r in result.recommendations] == [1, 3]
    jump = [p for p in result.problems if "jumps" in p.message]
    assert jump and jump[0].line == 11


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("25 May 2017", date(2017, 5, 25), None),
        ("May 25, 2017", date(2017, 5, 25), None),
        ("23-24 May 2017", date(2017, 5, 23), date(2017, 5, 24)),
        ("23–24 May 2017", date(2017, 5, 23), date(2017, 5, 24)),
        ("30 June – 1 July 2015", date(2015, 6, 30), date(2015, 7, 1)),
        ("June 30 – July 1, 2015", date(2015, 6, 30), date(2015, 7, 1)),
        ("May 23-24, 2017", date(2017, 5, 23), date(2017, 5, 24)),
        ("20 June 2017", date(2017, 6, 20), None),
        ("Thursday, 3rd Sept 2020", date(2020, 9, 3), None),
        ("31 December 2019 – 2 January 2020", date(2019, 12, 31), date(2020, 1, 2)),
        ("2021-04-09", date(2021, 4, 9), None),
    ],
)
def test_date_forms_recognised(text: str, start: date, end: date | None) -> None:
    found = find_date(f"Held on {text}, Somewhere")
    assert found is not None
    assert (found[0], found[1]) == (start, end)
    assert parse_summary(f"Some Roundtable\n\n{text}\n\n1. Text.").start_date == start


def test_date_invalid_is_not_a_date() -> None:
    assert find_date("31 February 2017") is None
    assert find_date("in 2017 and 2018") is None


@pytest.mark.parametrize(
    ("line", "city", "venue", "country"),
    [
        ("25 May 2017, Hofburg, Vienna", "Vienna", "Hofburg", "Austria"),
        ("New York", "New York", None, "United States"),
        ("4 April 2018, Palais des Nations, Geneva", "Geneva", "Palais des Nations", "Switzerland"),
        ("4 April 2018, Tunis, Tunisia", "Tunis", None, "Tunisia"),
        ("12 March 2019, Grand Hotel, Ulaanbaatar, Mongolia", "Ulaanbaatar", "Grand Hotel", "Mongolia"),
        ("12 March 2019, Bishkek", "Bishkek", None, "Kyrgyzstan"),
    ],
)
def test_place_forms_recognised(line: str, city: str, venue: str | None, country: str) -> None:
    result = parse_summary(f"Regional Workshop\n\n{line}\n\n1. Text.")
    assert (result.city, result.venue, result.country) == (city, venue, country)
    assert result.title == "Regional Workshop"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Roundtable on Civic Space", "roundtable"),
        ("Civil Society Day", "civil_society_day"),
        ("Regional Workshop on Youth", "workshop"),
        ("Side Event: Women and PVE", "side_event"),
        ("Webinar on Online Harms", "webinar"),
        ("Expert Meeting on Research", None),
    ],
)
def test_kind_recognised_from_title_block(title: str, kind: str | None) -> None:
    assert parse_summary(f"**{title}**\n\n1 May 2019, Paris\n\n1. Text.").kind == kind


def test_host_conference_and_summary_title_with_footnote_marker() -> None:
    text = (
        "**2019 Global Counter-Terrorism Conference**\n\nCivil Society Day\n\n2 May 2019, Rome\n\n"
        "Meeting Summary²\n\n1. Text.\n\n² A note."
    )
    result = parse_summary(text)
    assert result.host_conference == "2019 Global Counter-Terrorism Conference"
    assert result.summary_title == "Meeting Summary"
    assert result.footnotes[0].anchor is not None and result.footnotes[0].anchor.kind == "summary_title"
    assert result.country == "Italy"


SESSIONS_TEXT = """Workshop

1 June 2018, Warsaw

SUMMARY OF THE DISCUSSION

Opening Session

1. First.
2. Second.

{s1}

3. Third.

{s2}

4. Fourth.
5. Fifth.

Closing Session

6. Sixth.
"""


@pytest.mark.parametrize(
    ("s1", "s2"),
    [
        ("Session 1: Youth", "Session 2: Gender"),
        ("Session I – Youth", "Session II – Gender"),
        ("Session 1 - Youth", "Session 2. Gender"),
        ("**Session One: Youth**", "## Session Two: Gender"),
    ],
)
def test_session_forms_recognised(s1: str, s2: str) -> None:
    result = parse_summary(SESSIONS_TEXT.format(s1=s1, s2=s2))
    titles = [s.title for s in result.sessions]
    assert titles[0] == "Opening Session" and titles[-1] == "Closing Session"
    assert titles[1] and titles[1].endswith("Youth") and titles[2] and titles[2].endswith("Gender")
    assert [[p.number for p in s.paragraphs] for s in result.sessions] == [[1, 2], [3], [4, 5], [6]]
    assert result.problems == []


def test_session_title_wrapped_by_pdf_layout_is_joined() -> None:
    text = "Workshop\n\n1 June 2018, Warsaw\n\nSession 1: A long title that the layout\nwrapped here\n\n1. Text."
    result = parse_summary(text)
    assert result.sessions[0].title == "Session 1: A long title that the layout wrapped here"


def test_paragraph_numbering_restarting_per_session_is_renumbered_with_problem() -> None:
    text = "Workshop\n\n1 June 2018, Warsaw\n\nSession 1: A\n\n1. One.\n2. Two.\n\nSession 2: B\n\n1. Three.\n2. Four."
    result = parse_summary(text)
    assert [p.number for p in result.paragraphs] == [1, 2, 3, 4]
    assert any("starts again" in p.message for p in result.problems)


def test_footnote_superscript_marker_and_definition_linked() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\n1. Kosovo¹ matters.\n\n¹ A note on names.\n\n2. Second."
    result = parse_summary(text)
    assert [p.text for p in result.paragraphs] == ["Kosovo matters.", "Second."]
    note = result.footnotes[0]
    assert (note.number, note.text, note.marker_line, note.line) == (1, "A note on names.", 5, 7)
    assert note.anchor is not None and (note.anchor.kind, note.anchor.number, note.anchor.offset) == ("paragraph", 1, 6)


def test_footnote_markdown_markers_linked() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\n1. One[^1] here.\n2. Two[^2].\n\n[^1]: First note.\n[^2]: Second note."
    result = parse_summary(text)
    assert [(f.number, f.text) for f in result.footnotes] == [(1, "First note."), (2, "Second note.")]
    assert [f.anchor.number if f.anchor else None for f in result.footnotes] == [1, 2]
    assert result.paragraphs[0].text == "One here."
    assert result.marked_text(result.paragraphs[0].text, "paragraph", 1) == "One[^1] here."


def test_footnote_plain_digit_from_pdf_linked() -> None:
    # A PDF can give superscripts back as plain digits glued to the word.
    text = (
        "Roundtable\n\n1 June 2018, Oslo\n\nMeeting Summary1\n\n1. In Kosovo2 people met.\n\n"
        "1 The disclaimer.\n\n2 The name note."
    )
    result = parse_summary(text)
    assert result.summary_title == "Meeting Summary"
    assert [(f.number, f.text) for f in result.footnotes] == [(1, "The disclaimer."), (2, "The name note.")]
    assert result.paragraphs[0].text == "In Kosovo people met."
    assert result.footnotes[1].anchor is not None and result.footnotes[1].anchor.kind == "paragraph"


def test_footnote_text_between_key_theme_bullets_not_in_theme() -> None:
    text = (
        "Civil Society Day\n\n1 June 2018, Oslo\n\nKEY THEMES\n\nThey discussed:\n\n- the first theme;\n"
        "- the second theme running\n\n¹ Footnote text at the page foot.\n\ninto the next page;\n- the third theme.\n\n"
        "RECOMMENDATIONS\n\n1. **One:** A¹."
    )
    result = parse_summary(text)
    assert result.key_themes == ["the first theme;", "the second theme running into the next page;", "the third theme."]
    assert result.key_themes_intro == "They discussed:"
    assert result.footnotes[0].text == "Footnote text at the page foot."
    assert result.footnotes[0].anchor is not None and result.footnotes[0].anchor.kind == "recommendation"


def test_key_themes_whose_bullets_the_layout_split_off() -> None:
    # Bullets in boxes of their own, then all item texts in one block (a viewer's copy and paste).
    text = (
        "Civil Society Day\n\n1 June 2018, Oslo\n\nKEY THEMES\n\nThey discussed:\n\n•\n\n•\n\n•\n\n"
        "the first theme, which runs over\ntwo lines;\nthe second theme;\nthe third theme.\n\n"
        "RECOMMENDATIONS\n\n1. **One:** A."
    )
    result = parse_summary(text)
    assert result.key_themes == ["the first theme, which runs over two lines;", "the second theme;", "the third theme."]


def test_footnote_problems_for_unlinked_marker_and_text() -> None:
    result = parse_summary("Roundtable\n\n1 June 2018, Oslo\n\n1. One³.\n\n² Orphan note.")
    messages = [(p.line, p.message) for p in result.problems]
    assert (5, "Footnote marker 3 has no footnote text") in messages
    assert (7, "Footnote 2 is not referenced in the text") in messages
    assert result.footnotes[0].marker_line is None


def test_next_steps_heading_and_commitment_paragraph() -> None:
    text = (
        "Roundtable\n\n1 June 2018, Oslo\n\n1. Participants talked.\n"
        "2. The co-chairs will circulate a draft letter.\n\n"
        "Next steps\n\n- Draft the brief.\n- Share it with members."
    )
    result = parse_summary(text)
    assert result.next_steps == [
        "The co-chairs will circulate a draft letter.",
        "Draft the brief.",
        "Share it with members.",
    ]
    assert result.next_step_paragraphs == [2, None, None]


def test_pdf_wrapped_lines_and_page_break_joined() -> None:
    # Lines as a PDF page gives them: wrapped near the page width, one page break mid-sentence.
    text = (
        "Roundtable\n\n1 June 2018, Oslo\n\n"
        "1. Participants said that the purpose of the meeting was two-fold, namely\n"
        "1) to share ideas about the ways that the space is shrinking for groups and\n"
        "2) to plan further joint work with youth-\n"
        "focused groups and networks on P/\n"
        "CVE in the region, with more time given to practical matters and\n\n\x0cbeyond it.\n\n"
        "2. Second paragraph, which is a short one and closes the summary."
    )
    result = parse_summary(text)
    assert [p.number for p in result.paragraphs] == [1, 2]
    assert result.paragraphs[0].text == (
        "Participants said that the purpose of the meeting was two-fold, namely 1) to share ideas about the "
        "ways that the space is shrinking for groups and 2) to plan further joint work with youth-focused "
        "groups and networks on P/CVE in the region, with more time given to practical matters and beyond it."
    )


def test_link_residue_becomes_plain_text() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\n1. See [the Network](#) and [the site](https://example.org) \\(GSX\\)."
    assert parse_summary(text).paragraphs[0].text == "See the Network and the site (https://example.org) (GSX)."


def test_emphasis_stays_as_markdown() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\n1. They discussed, *inter alia*, funding."
    assert parse_summary(text).paragraphs[0].text == "They discussed, *inter alia*, funding."


def test_no_numbering_read_as_paragraphs_with_problem() -> None:
    text = "Roundtable on Things\n\n1 June 2018, Oslo\n\nFirst block of prose here.\n\nSecond block.\n\nThird block."
    result = parse_summary(text)
    assert [(p.number, p.text) for p in result.paragraphs] == [
        (1, "First block of prose here."),
        (2, "Second block."),
        (3, "Third block."),
    ]
    problem = result.problems[0]
    assert problem.line == 5 and "No numbering was found" in problem.message


def test_unplaced_text_kept_as_paragraph_with_problem() -> None:
    text = (
        "Roundtable\n\n1 June 2018, Oslo\n\nSUMMARY OF DISCUSSION\n\nSession 1: A\n\n"
        "An unnumbered opening.\n\n1. One.\n2. Two."
    )
    result = parse_summary(text)
    assert [(p.number, p.text) for p in result.paragraphs] == [(3, "An unnumbered opening."), (1, "One."), (2, "Two.")]
    assert [(p.line, "kept as paragraph 3" in p.message) for p in result.problems] == [(9, True)]


def test_overview_is_text_before_first_section_without_heading() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\nSome introduction that runs long enough to be prose.\n\n1. One.\n2. Two."
    result = parse_summary(text)
    assert result.overview == "Some introduction that runs long enough to be prose."
    assert [p.number for p in result.paragraphs] == [1, 2]


def test_overview_heading_then_numbered_paragraphs_without_heading() -> None:
    text = (
        "Note on a Meeting\n\nOVERVIEW\n\nOn the margins of the 2019 UN General Assembly, some groups met "
        "on 24 September 2019 in New York.\n\n1. First paragraph.\n2. Second paragraph."
    )
    result = parse_summary(text)
    assert result.overview.startswith("On the margins")
    assert [p.number for p in result.paragraphs] == [1, 2]
    assert result.host_conference == "2019 UN General Assembly"
    assert result.start_date == date(2019, 9, 24)
    assert [(p.line, p.message) for p in result.problems] == [(5, "The date was taken from the overview")]


def test_key_themes_prose_before_bullets_is_intro() -> None:
    text = "Note\n\n1 June 2018, Oslo\n\nKEY THEMES\n\nA longer introduction.\n\nThey said:\n\n- one;\n- two."
    result = parse_summary(text)
    assert result.key_themes == ["one;", "two."]
    assert result.key_themes_intro == "A longer introduction.\n\nThey said:"


def test_decimal_number_is_not_a_footnote_marker() -> None:
    text = "Roundtable\n\n1 June 2018, Oslo\n\n1. Donors gave 1.5 million to groups2 here.\n\n2 A note.\n\n5 Other."
    result = parse_summary(text)
    assert [(f.number, f.text) for f in result.footnotes] == [(2, "A note.")]
    assert result.paragraphs[0].text.startswith("Donors gave 1.5 million to groups here.")
    assert "5 Other." in result.paragraphs[0].text  # not a note: kept as text


def test_sentence_with_date_is_not_the_date_line() -> None:
    result = parse_summary("On 3 May 2019 we met in Paris to talk.\n\n1. Text.")
    assert result.city is None
    assert result.overview == "On 3 May 2019 we met in Paris to talk."
    assert result.start_date == date(2019, 5, 3)


def test_empty_text_gives_problems_not_errors() -> None:
    result = parse_summary("")
    assert result.title == "" and result.sessions == [] and result.problems


def test_to_dict_has_exact_shape() -> None:
    text = (
        "Roundtable\n\n1 June 2018, Oslo\n\nRECOMMENDATIONS\n\n1. **A:** b.\n - a. c.\n\n"
        "Opening Session\n\n1. D¹.\n\n¹ E."
    )
    d = parse_summary(text).to_dict()
    assert list(d) == [
        "title",
        "summary_title",
        "kind",
        "start_date",
        "end_date",
        "city",
        "venue",
        "country",
        "host_conference",
        "overview",
        "key_themes",
        "recommendations",
        "sessions",
        "footnotes",
        "next_steps",
        "problems",
    ]
    assert d["start_date"] == "2018-06-01" and d["end_date"] is None
    assert d["recommendations"] == [
        {"number": 1, "headline": "A", "body": "b.", "sub_items": [{"letter": "a", "text": "c."}]}
    ]
    assert d["sessions"] == [{"title": "Opening Session", "paragraphs": [{"number": 1, "text": "D."}]}]
    assert d["footnotes"] == [{"number": 1, "text": "E."}]
    assert json.loads(json.dumps(d)) == d
