"""The pure similarity index: rankings, exclusions and shared phrases (no database)."""

import pytest

from recommendations import similarity
from recommendations.similarity import SimilarityIndex, recommendation_text

DOCS = [
    (10, "Translate training materials for community mediators into local languages."),
    (11, "Fund gender-sensitive rehabilitation programmes for women leaving armed groups."),
    (12, "Stop using stigmatising labels for whole communities in official statements."),
    (13, "Hear young people when national prevention strategies are drafted."),
    (14, "Publish the annual budget of the ministry of culture."),
]


def test_recommendation_text_joins_parts_and_drops_markdown():
    text = recommendation_text("**Fund** shelters", "See [the report](#) and a note[^2].", ["a _first_ step", ""])

    assert text == "Fund shelters See the report and a note . a first step"


def test_nearest_by_text_ranks_the_restatement_first_with_shared_phrases():
    index = SimilarityIndex.build(DOCS)

    found = index.nearest("Governments should translate materials for mediators into the local languages.", k=2)

    assert found[0].id == 10
    assert found[0].score > found[1].score
    assert "local languages" in found[0].shared


def test_nearest_by_id_never_returns_itself_and_honours_exclude():
    index = SimilarityIndex.build([*DOCS, (15, "Translate the training materials into local languages soon.")])

    found = index.nearest(15, k=10, exclude={12})

    assert found[0].id == 10
    assert {n.id for n in found}.isdisjoint({15, 12})


def test_min_score_drops_weak_neighbours():
    index = SimilarityIndex.build(DOCS)

    found = index.nearest("Publish the annual budget of the ministry of culture now.", k=5, min_score=0.5)

    assert [n.id for n in found] == [14]


def test_ties_are_broken_by_the_smaller_id():
    index = SimilarityIndex.build([(7, "fund youth radio"), (3, "fund youth radio"), (5, "other thing entirely")])

    assert [n.id for n in index.nearest("fund youth radio", k=2)] == [3, 7]


def test_nearest_many_gives_what_nearest_gives():
    index = SimilarityIndex.build(DOCS)
    queries: list[int | str] = [10, "hear the young when strategies are written"]

    assert index.nearest_many(queries, k=3) == [index.nearest(q, k=3) for q in queries]


def test_an_empty_or_stop_word_corpus_answers_nothing_rather_than_failing():
    assert SimilarityIndex.build([]).nearest("anything", k=3) == []
    index = SimilarityIndex.build([(1, "and the of"), (2, "to be or not")])
    assert all(n.score < 0.5 for n in index.nearest(1, k=3))


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        SimilarityIndex.build([(1, "a"), (1, "b")])


def test_a_large_corpus_shortlists_by_words_and_keeps_the_same_best(monkeypatch):
    filler = [(100 + n, f"Publish report number {n} on the ministry of culture") for n in range(30)]
    docs = [*DOCS, (15, "Translate the training materials into local languages soon."), *filler]
    exact = SimilarityIndex.build(docs).nearest(10, k=3)
    monkeypatch.setattr(similarity, "EXACT_LIMIT", 8)
    monkeypatch.setattr(similarity, "SHORTLIST", 5)

    approximate = SimilarityIndex.build(docs).nearest(10, k=3)

    assert [n.id for n in approximate][:1] == [n.id for n in exact][:1] == [15]
    assert len(approximate) == 3
