from __future__ import annotations

from publications import brief_fit


def test_ask_is_the_first_sentence_of_the_body_without_markup() -> None:
    body = "Give CSOs *secure* funding, e.g. multi-year grants.[^2] See [the report](https://x.example/). More."

    assert brief_fit.ask_text(body, []) == "Give CSOs secure funding, e.g. multi-year grants."


def test_ask_condenses_the_sub_items_when_the_body_only_leads_in() -> None:
    sub_items = [("a", "Creating new networks, national and regional;"), ("b", "Pursuing coordinated advocacy.")]

    asks = [brief_fit.ask_text("This could involve:", sub_items), brief_fit.ask_text("", sub_items)]

    assert asks == ["(a) Creating new networks; (b) Pursuing coordinated advocacy"] * 2


def test_ask_says_only_what_the_body_adds_to_a_repeated_headline() -> None:
    body = "Encourage local partnerships and put an emphasis on raising funds locally. Then more."

    asks = [
        brief_fit.ask_text(body, [], headline="Encourage local partnerships"),
        brief_fit.ask_text(body, [], headline="Something else"),
    ]

    assert asks == [
        "Put an emphasis on raising funds locally.",
        "Encourage local partnerships and put an emphasis on raising funds locally.",
    ]


def test_ask_is_cut_at_a_word_to_fit_one_line() -> None:
    ask = "Invest more resources in long-term programs " * 6

    fitted = brief_fit.fit_one_line(ask, 9.5, 170)

    assert (fitted.endswith(" …"), ask.startswith(fitted[:-2]), brief_fit.text_width(fitted, 9.5) <= 170) == (
        True,
        True,
        True,
    )


def test_lines_wrap_at_spaces_within_the_width() -> None:
    words = "word " * 40

    lines = [brief_fit.line_count(words, 10, width) for width in (1000, 100, 50)]

    assert lines[0] == 1 and lines[0] < lines[1] < lines[2]
