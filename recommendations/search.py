"""Full-text search of recommendations, the same on PostgreSQL and on SQLite.

One query language, PostgreSQL's ``websearch`` syntax: words (all must match, stemmed),
``"quoted phrases"``, ``or`` between alternatives, ``-word`` or ``-"a phrase"`` to leave out.
``parse_query`` reads it into a small tree (a disjunction of conjunctions, as
``websearch_to_tsquery`` groups them), the genre's abbreviations are expanded from ``SYNONYMS``,
and the tree is compiled for each engine:

- PostgreSQL: each term through ``websearch_to_tsquery('english', …)``, combined with the
  ``tsquery`` operators, against the stored, GIN-indexed ``search_document`` column of migration
  0012 (the headline weighted A, the body B, the sub-items C), kept by triggers;
- SQLite: FTS5 ``MATCH`` expressions (porter stemmer) over the virtual table of migration 0012
  (headline, body, sub-items), kept in step with the rows by triggers.

A recommendation matches when its headline, body and sub-items together match: one condition on
the recommendation's own table, which the planner combines with the other filters.
A snippet shows where the words matched (``ts_headline``, FTS5 ``snippet``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Recommendation

# Must match the stored document of migration 0012 (a test runs EXPLAIN to prove its GIN index
# is used).
SEARCH_CONFIG = "english"
DOCUMENT_COLUMN = "search_document"
MAX_TERMS = 16
RECOMMENDATION_FTS = "recommendations_recommendation_fts"

# The genre's abbreviations and what they stand for: a query naming any spelling of a family
# finds every spelling. One table, expanded before querying (``expand_synonyms``); spellings are
# compared case-insensitively, a multi-word one as a phrase.
SYNONYMS: list[tuple[str, ...]] = [
    ("P/CVE", "PCVE", "preventing and countering violent extremism", "prevention and countering of violent extremism"),
    (
        "P/CVERLT",
        "PCVERLT",
        "VERLT",
        "violent extremism and radicalization that lead to terrorism",
        "violent extremism and radicalisation that lead to terrorism",
    ),
    ("CVE", "countering violent extremism"),
    ("PVE", "preventing violent extremism", "prevention of violent extremism"),
    ("R/R", "rehabilitation and reintegration", "reintegration and rehabilitation"),
    ("CSO", "CSOs", "civil society organization", "civil society organisation", "civil-society organization"),
    ("NGO", "NGOs", "non-governmental organization", "non-governmental organisation", "nongovernmental organization"),
    ("CT", "counter-terrorism", "counterterrorism", "counter terrorism", "countering terrorism"),
    (
        "UNOCT",
        "UN Office of Counter-Terrorism",
        "United Nations Office of Counter-Terrorism",
        "UN Counter-Terrorism Office",
    ),
    ("OCT", "Office of Counter-Terrorism"),
]
_FAMILY = {spelling.lower(): family for family in SYNONYMS for spelling in family}

# PostgreSQL's english configuration drops these; SQLite's FTS5 would require them. Dropped from
# words (not from phrases) so both engines answer alike.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have if in into is it its of on or over such that the their "  # noqa: SIM905 (a list of words reads best as one string)
    "then there these they this to was were which will with".split()
)

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_EDGES = "\"'\\:;,.!?()[]{}<>*&|^~`"


@dataclass(frozen=True)
class Term:
    """A word or a phrase; ``alternatives`` are its synonyms (any of them matches)."""

    text: str
    phrase: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.text, *self.alternatives)


@dataclass
class Conjunction:
    """All of ``include`` and none of ``exclude``."""

    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


@dataclass
class ParsedQuery:
    """Any of the conjunctions."""

    any_of: list[Conjunction] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(c.include or c.exclude for c in self.any_of)


def parse_query(text: str) -> ParsedQuery:
    """Read websearch syntax as PostgreSQL does: ``or`` separates conjunctions, ``-`` negates,
    an unclosed quote runs to the end. Never raises; at most ``MAX_TERMS`` terms."""
    query = ParsedQuery([Conjunction()])
    count = 0
    for match in _TOKEN_RE.finditer(quote_known_phrases(text or "")):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            words = " ".join(quoted.split())
            term = Term(words, phrase=" " in words) if _has_word(words) else None
        else:
            if bare.lower() == "or":
                if query.any_of[-1].include or query.any_of[-1].exclude:
                    query.any_of.append(Conjunction())
                continue
            negated = "-" if bare.startswith("-") else ""
            word = bare.lstrip("-").strip(_WORD_EDGES)
            term = Term(word) if _has_word(word) and word.lower() not in STOP_WORDS else None
        if term is None or count >= MAX_TERMS:
            continue
        count += 1
        conjunction = query.any_of[-1]
        (conjunction.exclude if negated else conjunction.include).append(expand_synonyms(term))
    query.any_of = [c for c in query.any_of if c.include or c.exclude]
    return query


_PHRASES = sorted((s for family in SYNONYMS for s in family if " " in s), key=len, reverse=True)
_PHRASE_RE = re.compile(r'(?<![\w"-])(' + "|".join(re.escape(p) for p in _PHRASES) + r')(?![\w"-])', re.IGNORECASE)


def quote_known_phrases(text: str) -> str:
    """Typed without quotes, a family's long form ("countering violent extremism") is still read
    as that phrase, so that its abbreviations are found too. Quoted text is left alone."""
    if '"' in text:
        return text
    return _PHRASE_RE.sub(lambda match: f'"{match.group(1)}"', text)


def _has_word(text: str) -> bool:
    return any(character.isalnum() for character in text)


def expand_synonyms(term: Term) -> Term:
    family = _FAMILY.get(term.text.lower())
    if family is None:
        return term
    return Term(term.text, term.phrase, tuple(s for s in family if s.lower() != term.text.lower()))


# --- PostgreSQL -------------------------------------------------------------------------------


def uses_postgres(queryset: QuerySet[Any]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


class StoredDocument(Expression):
    """The recommendation's ``search_document`` column.

    Not a model field: no query but the search reads it, and a model's rows never carry a
    tsvector. The table's alias is read when the query is compiled, so it is right inside a
    subquery (``U0``) too.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", []


def _pg_term(term: Term) -> SearchQuery:
    # Each spelling through websearch_to_tsquery: it stems, and reads a quoted phrase as one.
    queries = [
        SearchQuery(f'"{spelling}"' if " " in spelling else spelling, search_type="websearch", config=SEARCH_CONFIG)
        for spelling in term.spellings
    ]
    return reduce(lambda a, b: a | b, queries)


def ts_query(query: ParsedQuery) -> SearchQuery | None:
    """The tsquery of a parsed query (None for an empty one)."""
    disjuncts = []
    for conjunction in query.any_of:
        parts = [_pg_term(t) for t in conjunction.include] + [~_pg_term(t) for t in conjunction.exclude]
        disjuncts.append(reduce(lambda a, b: a & b, parts))
    return reduce(lambda a, b: a | b, disjuncts) if disjuncts else None


# --- SQLite FTS5 --------------------------------------------------------------------------------


def _fts_string(spelling: str) -> str:
    # Inside double quotes FTS5 reads everything as text to tokenize (a quote is doubled), so no
    # input can reach its query syntax.
    return '"' + spelling.replace('"', '""') + '"'


def _fts_term(term: Term) -> str:
    spellings = [_fts_string(spelling) for spelling in term.spellings]
    return spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")"


def fts_expressions(query: ParsedQuery) -> tuple[str | None, list[str]]:
    """(an FTS5 expression for the conjunctions that include something, the expressions of the
    negation-only ones, each to be excluded): FTS5's NOT needs something on its left."""
    positive = []
    excluded_only = []
    for conjunction in query.any_of:
        include = " AND ".join(_fts_term(t) for t in conjunction.include)
        exclude = " OR ".join(_fts_term(t) for t in conjunction.exclude)
        if include:
            positive.append(f"({include})" + (f" NOT ({exclude})" if exclude else ""))
        else:
            excluded_only.append(exclude)
    return (" OR ".join(f"({p})" for p in positive) or None), excluded_only


def _fts_rows(table: str, expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])  # noqa: S608, S611 (our table names; the expression is a parameter)


def _fts_condition(table: str, query: ParsedQuery) -> Q:
    positive, excluded_only = fts_expressions(query)
    conditions = [Q(pk__in=_fts_rows(table, positive))] if positive else []
    conditions += [~Q(pk__in=_fts_rows(table, expression)) for expression in excluded_only]
    return reduce(lambda a, b: a | b, conditions)


# --- Both -----------------------------------------------------------------------------------------


def text_search(queryset: QuerySet[Recommendation], text: str) -> QuerySet[Recommendation]:
    """Recommendations whose headline, body and sub-items match ``text``.

    On PostgreSQL a condition on the indexed column itself, so a filter on the same table can
    share the index scan (a BitmapAnd); on SQLite a rowid subquery on the FTS5 table.
    A text with no searchable word (only punctuation or stop words) matches nothing.
    """
    if not text.strip():
        return queryset
    query = parse_query(text)
    if query.is_empty:
        return queryset.none()
    if uses_postgres(queryset):
        return queryset.alias(search_document=StoredDocument()).filter(search_document=ts_query(query))
    return queryset.filter(_fts_condition(RECOMMENDATION_FTS, query))


def with_relevance(queryset: QuerySet[Recommendation], text: str) -> QuerySet[Recommendation] | None:
    """Annotated with ``relevance`` on PostgreSQL (ts_rank); None where there is no ranking."""
    tsquery = ts_query(parse_query(text))
    if tsquery is None or not uses_postgres(queryset):
        return None
    return queryset.annotate(relevance=SearchRank(StoredDocument(), tsquery))


# Markers no summary contains, put around matches by the database and turned into <mark> after
# the text around them is escaped.
_START, _STOP = "\x02", "\x03"
SNIPPET_WORDS = 30


def snippets(ids: list[int], text: str, *, using: str = "default") -> dict[int, SafeString]:
    """Per recommendation id, its body around the matched words, the words marked; one query.

    A recommendation matched by its headline or a sub-item only has no snippet (its excerpt shows).
    """
    query = parse_query(text)
    tsquery = ts_query(query)
    if not ids or tsquery is None:
        return {}
    found: dict[int, str] = {}
    if connections[using].vendor == "postgresql":
        headline = SearchHeadline(
            "body",
            tsquery,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=SNIPPET_WORDS,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        rows = Recommendation.objects.using(using).filter(pk__in=ids).annotate(snippet=headline)
        found = dict(rows.values_list("pk", "snippet"))
    else:
        positive, _excluded = fts_expressions(query)
        if positive is None:
            return {}
        placeholders = ", ".join("%s" for _ in ids)
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({RECOMMENDATION_FTS}, 1, %s, %s, ' … ', %s) FROM {RECOMMENDATION_FTS} "  # noqa: S608 (our table; values are parameters)
                f"WHERE {RECOMMENDATION_FTS} MATCH %s AND rowid IN ({placeholders})",
                [_START, _STOP, SNIPPET_WORDS, positive, *ids],
            )
            found = dict(cursor.fetchall())
    return {pk: marked(snippet) for pk, snippet in found.items() if snippet and _START in snippet}


def marked(snippet: str) -> SafeString:
    """The snippet escaped, its markers made <mark> elements; Markdown's emphasis and footnote
    markers dropped (the snippet is plain text)."""
    plain = re.sub(r"\[\^\d+\]|[*_`#]+", "", snippet)
    html = escape(plain).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped just above; only our own <mark> is added)
