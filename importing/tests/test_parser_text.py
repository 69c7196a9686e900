"""The parser's text helpers: the linear text builder gives what joining strings one by one gave."""

from __future__ import annotations

import random

from importing.parser.text import TextBuilder, ends_terminal, join_text, sentence_ends, sentinel, unmarked

PIECES = ["youth-", "focused", "P/", "CVE", "work.", "next", sentinel(3), "“quoted.”", "a", ";", "**bold**", "x" * 300]


def test_text_builder_joins_as_join_text_and_reads_the_end_as_the_whole() -> None:
    rng = random.Random(5)
    for _ in range(300):
        text, built = "", TextBuilder(rng.choice(["", "Start"]))
        text = built.value()
        for _ in range(rng.randint(1, 40)):
            piece, mode = rng.choice(PIECES), rng.choice(["space", "para", "line"])
            text = join_text(text, piece, mode)
            built.add(piece, mode)
            assert built.ends_terminal() == ends_terminal(text)
            assert built.last_char() == unmarked(text).rstrip()[-1:]
        assert built.value() == text
        assert bool(built) == bool(text)


def test_sentence_ends_skip_abbreviations_and_initials_in_a_long_paragraph() -> None:
    text = "We met Dr. Smith and J. Doe. They agreed to act. " * 2000
    ends = list(sentence_ends(text))
    assert len(ends) == 3999  # the last stop has no sentence after it
    assert text[: ends[0]] == "We met Dr. Smith and J. Doe."
