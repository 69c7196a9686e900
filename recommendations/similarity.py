"""Text similarity between recommendations: the project's one such module (pure, no Django).

Recurrence suggestions (issue 16) and nearest-neighbour tag suggestions both read it, so this
interface is kept stable::

    text = recommendation_text(headline, body, sub_items)        # one string per recommendation
    index = SimilarityIndex.build([(pk, text), ...])             # ids are any ints, unique
    index.nearest(pk_or_text, k=5, exclude={...}, min_score=0.0)  # -> list[Neighbour], best first
    index.nearest_many([pk_or_text, ...], k=5, exclude=..., min_score=...)  # one list per query
    Neighbour(id=pk, score=0.0..1.0, shared=["gender-sensitive rehabilitation", ...])

``score`` is a cosine similarity in [0, 1]: ``WORD_WEIGHT`` of it from word 1–2-grams (English stop
words out), the rest from character 3–5-grams inside word boundaries (``char_wb``), both TF-IDF
with sublinear tf over the documents the index was built from. Word n-grams reward the same
phrases; character n-grams forgive inflection and spelling ("stigmatising"/"stigmatization").
``shared`` lists the word n-grams both texts contain, most telling (highest joint weight) first,
bigrams preferred over the words inside them. A query by id never returns that id. Ties are
broken by id, so the ranking is the same whichever database the texts came from. Up to
``EXACT_LIMIT`` documents every pair is scored in full; a larger index shortlists by words first
(see ``SimilarityIndex``). Import it inside the function that needs it: scikit-learn costs ~1 s
and ~60 MB to load, which web processes need not pay.

Why scikit-learn: a well-kept TF-IDF (no model weights, nothing downloaded), sparse matrices so
20,000 documents fit in memory, and it runs in Python, giving the same ranking on PostgreSQL and
SQLite. ``RECURRENCE_THRESHOLD`` is the score above which two recommendations are suggested as
restatements; bench/bench_recurrence.py calibrates it and prints precision and recall.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

WORD_WEIGHT = 0.5
# Calibrated by bench/bench_recurrence.py on the generated paraphrase/distractor corpus (see there).
RECURRENCE_THRESHOLD = 0.30
MAX_SHARED = 5
EXACT_LIMIT = 2_000
SHORTLIST = 50

_MARKDOWN = re.compile(r"\[\^\d+\]|[*_`#>]+|\[([^\]]*)\]\([^)]*\)")
_SPACE = re.compile(r"\s+")


def recommendation_text(headline: str, body: str = "", sub_items: Iterable[str] = ()) -> str:
    """The text a recommendation is compared by: headline, body and sub-items, Markdown dropped."""
    parts = [headline, body, *sub_items]
    text = " ".join(p for p in parts if p)
    text = _MARKDOWN.sub(lambda m: m.group(1) or " ", text)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Neighbour:
    id: int
    score: float
    shared: list[str]


class SimilarityIndex:
    """TF-IDF vectors of a fixed set of documents; query by one of their ids or by a new text.

    Up to ``EXACT_LIMIT`` documents every pair is scored in full. Above it, character n-grams of
    every document would cost ~1 ms and ~40 KB each (20,000 documents: 20 s, 800 MB), so the index
    keeps them lazily: their IDF is fitted on an evenly spaced sample of ``EXACT_LIMIT``
    documents, and a query scores characters only on its ``SHORTLIST`` best documents by words
    (a restatement that shares no word with its original is missed there, and only there).
    """

    def __init__(self, ids: list[int], texts: list[str], word: TfidfVectorizer, words: sparse.csr_matrix) -> None:
        self.ids = ids
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row = {pk: row for row, pk in enumerate(ids)}
        self._texts = texts
        self._word = word
        self._words = words
        self._terms = word.get_feature_names_out()
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        step = max(1, -(-len(texts) // EXACT_LIMIT))
        _fit(self._char, texts[::step])
        self._chars: dict[int, sparse.csr_matrix] = {}
        if len(texts) <= EXACT_LIMIT:
            self._char_rows(range(len(texts)))

    @classmethod
    def build(cls, docs: Sequence[tuple[int, str]]) -> SimilarityIndex:
        ids = [int(pk) for pk, _text in docs]
        if len(set(ids)) != len(ids):
            raise ValueError("document ids must be unique")
        texts = [text for _pk, text in docs]
        word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), stop_words="english", sublinear_tf=True, dtype=np.float32
        )
        return cls(ids, texts, word, sparse.csr_matrix(_fit(word, texts)))

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, pk: object) -> bool:
        return pk in self._row

    def _char_rows(self, rows: Iterable[int]) -> sparse.csr_matrix:
        rows = list(rows)
        missing = [row for row in dict.fromkeys(rows) if row not in self._chars]
        if missing:
            computed = sparse.csr_matrix(self._char.transform([self._texts[row] for row in missing]))
            for n, row in enumerate(missing):
                self._chars[row] = computed[n]
        if not rows:
            return sparse.csr_matrix((0, len(self._char.vocabulary_)), dtype=np.float32)
        return sparse.vstack([self._chars[row] for row in rows], format="csr")

    def nearest(
        self, query: int | str, k: int = 5, *, exclude: Collection[int] = (), min_score: float = 0.0
    ) -> list[Neighbour]:
        """The ``k`` documents most similar to ``query`` (an indexed id or a text), best first."""
        return self.nearest_many([query], k, exclude=exclude, min_score=min_score)[0]

    def nearest_many(
        self,
        queries: Sequence[int | str],
        k: int = 5,
        *,
        exclude: Collection[int] = (),
        min_score: float = 0.0,
    ) -> list[list[Neighbour]]:
        """``nearest`` for many queries at once (a convening's 50 share one sparse product)."""
        if not queries:
            return []
        if not self.ids:
            return [[] for _q in queries]
        texts = [q for q in queries if isinstance(q, str)]
        query_rows = [None if isinstance(q, str) else self._row[q] for q in queries]  # KeyError: unknown id
        new_words = self._word.transform(texts) if texts else None
        new_chars = self._char.transform(texts) if texts else None
        word_q = self._stack(query_rows, self._words, new_words)
        word_scores = (word_q @ self._words.T).toarray()
        blocked = [self._row[pk] for pk in exclude if pk in self._row]
        word_scores[:, blocked] = -np.inf
        for n, row in enumerate(query_rows):
            if row is not None:
                word_scores[n, row] = -np.inf  # never one's own neighbour
        text_no = 0
        results = []
        for n, row in enumerate(query_rows):
            if row is None:
                char_q = sparse.csr_matrix(new_chars[text_no])  # type: ignore[index]
                text_no += 1
            else:
                char_q = self._char_rows([row])
            candidates = self._candidates(word_scores[n])
            char_scores = (char_q @ self._char_rows(candidates).T).toarray()[0]
            scores = WORD_WEIGHT * word_scores[n, candidates] + (1 - WORD_WEIGHT) * char_scores
            keep = np.flatnonzero(scores > max(min_score, 0.0))
            chosen = [candidates[i] for i in keep]
            # Best score first, then the smaller id: the same order on every database.
            order = np.lexsort((self._ids[chosen], -np.round(scores[keep], 6)))[:k]
            results.append(
                [
                    Neighbour(
                        id=int(self._ids[chosen[i]]),
                        score=round(float(scores[keep[i]]), 4),
                        shared=self._shared(word_q[n], self._words[chosen[i]]),
                    )
                    for i in order
                ]
            )
        return results

    def _candidates(self, word_scores: np.ndarray) -> list[int]:
        allowed = np.flatnonzero(word_scores > -np.inf)
        if len(self.ids) <= EXACT_LIMIT or len(allowed) <= SHORTLIST:
            return allowed.tolist()
        best = allowed[np.argpartition(-word_scores[allowed], SHORTLIST)[:SHORTLIST]]
        return sorted(best.tolist())

    @staticmethod
    def _stack(rows: list[int | None], matrix: sparse.csr_matrix, new: sparse.spmatrix | None) -> sparse.csr_matrix:
        parts, text_no = [], 0
        for row in rows:
            if row is None:
                assert new is not None
                parts.append(sparse.csr_matrix(new[text_no]))
                text_no += 1
            else:
                parts.append(matrix[row])
        return sparse.vstack(parts, format="csr")

    def _shared(self, a: sparse.csr_matrix, b: sparse.csr_matrix) -> list[str]:
        joint = a.multiply(b).tocoo()
        ranked = [
            str(self._terms[col])
            for _weight, col in sorted(zip(joint.data, joint.col, strict=True), key=lambda t: (-t[0], t[1]))
        ]
        # Bigrams first ("local languages" tells more than "languages"), then the words that are
        # not already inside a chosen bigram.
        bigrams = [t for t in ranked if " " in t][:MAX_SHARED]
        inside = {w for b in bigrams for w in b.split(" ")}
        words = [t for t in ranked if " " not in t and t not in inside]
        return (bigrams + words)[:MAX_SHARED]


def _fit(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:
        # No term at all (no documents, or only stop words): a vocabulary of one unused token keeps
        # the index usable, every score from this part is 0.
        vectorizer.fit(["gsxnoterm"])
        if not texts:
            return sparse.csr_matrix((0, len(vectorizer.vocabulary_)), dtype=np.float32)
        return vectorizer.transform(texts)
