"""No silent misparse (issue 13, item 3): every guess the parser makes on odd text is reported,
with its line, its kind and the item it concerns. The texts are made up here."""

from __future__ import annotations

import json

from conftest import VIENNA, seed_text
from importing.parser import PROBLEM_KINDS, ParseResult, Problem, parse_summary

HEAD = "Imaginary Roundtable on Coastal Libraries\n\n4 March 2031, Geneva\n\n"


def kinds(result: ParseResult, kind: str) -> list[Problem]:
    return [p for p in result.problems if p.kind == kind]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_bare_heading_after_the_last_recommendation_is_reported() -> None:
    text = HEAD + (
        "RECOMMENDATIONS\n\n"
        "1. **Open reading rooms:** Libraries stay open late on market days.\n\n"
        "2. **Train volunteers:** Volunteers learn to run the lending desk.\n\n"
        "SUMMARY\n"
    )
    result = parse_summary(text)
    [problem] = kinds(result, "heading_in_item")
    assert problem.line == line_of(text, "SUMMARY")
    assert problem.item == "recommendation:2"
    assert "SUMMARY" in problem.message and problem.template.startswith("The heading-like line")


def test_a_heading_glued_to_a_key_theme_is_reported() -> None:
    text = (
        HEAD
        + "KEY THEMES\n\n- ferries that stop running in winter\nWINTER TIMETABLES\n\n"
        + "RECOMMENDATIONS\n\n1. Keep going.\n"
    )
    result = parse_summary(text)
    [problem] = kinds(result, "heading_in_item")
    assert problem.item == "key_theme:1" and problem.line == line_of(text, "WINTER")


def test_sub_items_a_b_d_keep_d_apart_and_report_the_missing_c() -> None:
    text = HEAD + (
        "RECOMMENDATIONS\n\n"
        "1. **Share the catalogue:** Branches could:\n"
        "a. publish opening hours;\n"
        "b. lend books between islands;\n"
        "d. count visitors each month.\n"
    )
    result = parse_summary(text)
    subs = result.recommendations[0].sub_items
    assert [s.letter for s in subs] == ["a", "b", "d"]
    assert "count visitors" not in subs[1].text
    [problem] = kinds(result, "sequence_gap")
    assert problem.line == line_of(text, "d. count") and problem.item == "recommendation:1"
    assert dict(problem.params) == {"expected": "c", "letter": "d", "number": 1}


def test_a_recommendation_number_skipped_is_reported() -> None:
    text = HEAD + "RECOMMENDATIONS\n\n4. Keep the vans running.\n\n6. Print a map of stops.\n"
    result = parse_summary(text)
    assert [r.number for r in result.recommendations] == [4, 6]
    gaps = kinds(result, "sequence_gap")
    assert [p.line for p in gaps] == [line_of(text, "6. Print")]
    assert gaps[0].item == "recommendation:6"


def test_numbered_key_themes_with_a_gap_are_reported() -> None:
    text = HEAD + "KEY THEMES\n\n1. Ferries.\n2. Weather.\n4. Funding.\n\nRECOMMENDATIONS\n\n1. Keep going.\n"
    [problem] = kinds(parse_summary(text), "sequence_gap")
    assert problem.line == line_of(text, "4. Funding") and problem.item == "key_theme:3"


def test_a_recommendation_whose_headline_runs_into_its_body_is_reported() -> None:
    run_on = " ".join(["the mobile library should visit every harbour village twice a month"] * 6)
    text = HEAD + f"RECOMMENDATIONS\n\n1. **Keep the vans:** Fuel is paid.\n\n2. Timetables for {run_on}\n"
    result = parse_summary(text)
    [problem] = kinds(result, "headline_not_separated")
    assert problem.item == "recommendation:2" and problem.line == line_of(text, "2. Timetables")


def test_footnote_marker_without_text_and_text_without_marker_are_reported() -> None:
    text = HEAD + "1. Readers asked for longer loans.³\n\n2. Staff agreed.\n\n[^7]: A note that nothing points to.\n"
    result = parse_summary(text)
    [missing] = kinds(result, "footnote_without_text")
    assert missing.line == line_of(text, "1. Readers") and dict(missing.params) == {"number": 3}
    [orphan] = kinds(result, "footnote_without_marker")
    assert orphan.item == "footnote:7" and orphan.line == line_of(text, "[^7]")


def test_a_footnote_cut_by_a_page_break_is_joined() -> None:
    text = HEAD + (
        "1. Readers asked for longer loans.¹ Staff agreed.\n"
        "¹ The pilot ran in three harbour towns during the\n\n\x0c"
        "spring of the previous year.\n\n"
        "2. The next meeting is in June.\n"
    )
    result = parse_summary(text)
    assert result.footnotes[0].text == "The pilot ran in three harbour towns during the spring of the previous year."
    assert "spring" not in result.paragraphs[0].text


def test_a_footnote_that_may_go_on_after_a_page_break_is_reported() -> None:
    text = HEAD + (
        "1. Readers asked for longer loans and the\n"
        "¹ The pilot ran in three harbour towns during the\n\n\x0c"
        "staff agreed to try it.¹\n\n"
        "2. The next meeting is in June.\n"
    )
    [problem] = kinds(parse_summary(text), "footnote_split")
    assert problem.item == "footnote:1" and problem.line == line_of(text, "¹ The pilot")
    assert dict(problem.params)["next_line"] == line_of(text, "staff agreed")


def test_a_running_header_kept_on_most_pages_is_reported() -> None:
    topics = ["ferries", "weather", "funding", "schools", "vans"]
    pages = [f"Harbour Libraries Roundtable — draft\n\n{n}. We spoke about {t}." for n, t in enumerate(topics, 1)]
    text = HEAD + "\n\n\x0c".join(pages) + "\n"
    result = parse_summary(text)
    [problem] = kinds(result, "running_text")
    assert problem.line == line_of(text, "Harbour Libraries")
    assert dict(problem.params)["count"] == 5 and dict(problem.params)["pages"] == 5


def test_stated_counts_that_differ_from_what_was_found_are_reported() -> None:
    text = HEAD + (
        "KEY THEMES\n\nParticipants raised seven key issues:\n\n- ferries;\n- weather;\n- funding.\n\n"
        "RECOMMENDATIONS\n\n"
        "1. **Plan ahead:** Branches agreed on the following 10 steps:\n"
        "a. list the stops;\nb. print the map;\nc. train the drivers;\nd. tell the schools.\n"
    )
    result = parse_summary(text)
    problems = kinds(result, "count_mismatch")
    assert [dict(p.params) for p in problems] == [
        {"found": 3, "words": "seven key issues"},
        {"found": 4, "words": "10 steps"},
    ]
    assert problems[1].item == "recommendation:1"


def test_matching_counts_are_not_reported() -> None:
    text = (
        HEAD
        + "KEY THEMES\n\nThree themes came up:\n\n- ferries;\n- weather;\n- funding.\n\nRECOMMENDATIONS\n\n1. Go.\n"
    )
    assert kinds(parse_summary(text), "count_mismatch") == []


def test_the_json_lists_each_problem_with_its_kind_and_item() -> None:
    text = HEAD + "RECOMMENDATIONS\n\n1. **One:** First.\n\n2. **Two:** Second.\n\nSUMMARY\n"
    data = json.loads(json.dumps(parse_summary(text).to_dict()))
    entry = next(p for p in data["problems"] if p["kind"] == "heading_in_item")
    assert entry["item"] == "recommendation:2" and entry["line"] == line_of(text, "SUMMARY")
    assert {p["kind"] for p in data["problems"]} <= {*PROBLEM_KINDS, ""}


def test_the_vienna_seed_still_parses_whole_with_no_problem() -> None:
    result = parse_summary(seed_text(VIENNA))
    assert result.problems == []
    assert len(result.recommendations) == 13
    assert {r.number: len(r.sub_items) for r in result.recommendations if r.sub_items} == {2: 6, 5: 4, 6: 3, 9: 5}
    assert len(result.key_themes) == 6 and len(result.footnotes) == 2
    assert len(result.sessions) == 5 and sum(len(s.paragraphs) for s in result.sessions) == 31
