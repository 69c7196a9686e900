"""Suggested themes and addressees: the pure scoring, and the vocabulary the migration installs.

The expected themes of the Vienna seed are the team's own reading of each recommendation (slugs
only: the seed's text is read at test time, never copied). A recommendation counts as right when
a theme of that reading is among its first two suggestions.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from conftest import ROUNDTABLE, VIENNA, seed_path, seed_text
from importing.parser import parse_summary
from importing.suggest_tags import suggest_tags, suggest_tags_for_parts
from importing.tag_lexicon import (
    Lexicon,
    LexiconEntry,
    Suggestion,
    TaggedNeighbour,
    TagSuggestions,
    compile_lexicon,
    lexicon_suggestions,
    recommendation_parts,
    suggest_for_text,
    with_neighbours,
)
from recommendations.models import Addressee, Theme
from recommendations.tests.factories import RecommendationFactory
from recommendations.vocabulary import ADDRESSEES, THEMES, Entry

# What each Vienna recommendation is about, read by a person (one of these in the top two is right).
VIENNA_THEMES: dict[int, set[str]] = {
    1: {"legal-and-political-space"},
    2: {"capacity"},
    3: {"terminology"},
    4: {"local-ownership"},
    5: {"trust-building"},
    6: {"rehabilitation-and-reintegration"},
    7: {"gender", "rehabilitation-and-reintegration"},
    8: {"social-cohesion"},
    9: {"cso-collaboration"},
    10: {"local-ownership"},
    11: {"research"},
    12: {"private-sector"},
    13: {"youth"},
}


def _lexicon(entries: tuple[Entry, ...]) -> Lexicon:
    return compile_lexicon(LexiconEntry(e.slug, e.en, tuple(e.terms)) for e in entries)


THEME_LEXICON = _lexicon(THEMES)
ADDRESSEE_LEXICON = _lexicon(ADDRESSEES)


def _suggest(headline: str, body: str = "", *items: str) -> TagSuggestions:
    return suggest_for_text(
        recommendation_parts(headline, body, items), themes=THEME_LEXICON, addressees=ADDRESSEE_LEXICON
    )


def test_stemming_matches_other_forms_of_a_term() -> None:
    suggestions = _suggest("Mentor the newcomers", "Staff were trained by peers.")

    assert [s.slug for s in suggestions.themes] == ["capacity"]
    assert suggestions.themes[0].because == ["Mentor", "trained"]


def test_the_longest_term_is_counted_once_per_place() -> None:
    lexicon = compile_lexicon([LexiconEntry("space", "Space", ("legal and political space", "political space"))])

    [suggestion] = lexicon_suggestions([("They need legal and political space.", 1.0)], lexicon)

    assert suggestion.because == ["legal and political space"]
    assert suggestion.score == pytest.approx(2.0 / 5.0, abs=0.001)  # one phrase of four words: weight 2


def test_the_headline_counts_twice_and_repeats_count_at_most_three_times() -> None:
    lexicon = compile_lexicon([LexiconEntry("youth", "Youth", ("youth",))])

    in_headline = lexicon_suggestions(recommendation_parts("Youth first", "no word of it here"), lexicon)
    in_body = lexicon_suggestions(recommendation_parts("First things", "youth"), lexicon)
    repeated = lexicon_suggestions([("youth " * 10, 1.0)], lexicon)

    assert (in_headline[0].score, in_body[0].score, repeated[0].score) == (0.4, 0.25, 0.5)


def test_a_text_without_the_vocabularys_words_gets_no_suggestions() -> None:
    suggestions = _suggest("Meet again next spring", "The venue was pleasant.")

    assert (suggestions.themes, suggestions.addressees) == ([], [])


def test_suggestions_are_ranked_best_first() -> None:
    suggestions = _suggest("Rehabilitation in prisons", "Offenders need after-care; some research on women is needed.")

    scores = [s.score for s in suggestions.themes]
    assert scores == sorted(scores, reverse=True)
    assert suggestions.themes[0].slug == "rehabilitation-and-reintegration"
    assert all(0 < s < 1 for s in scores)


# Written for these tests: recommendations of a meeting that never took place.
OWN_SUMMARY = """\
Workshop on Prevention in Coastal Towns

12 April 2022, Mombasa

Meeting Summary and Recommendations

RECOMMENDATIONS

1. **Put teenagers on the steering boards:** Programmes for adolescents should give young people
a seat and a vote.
2. **Pay for the long haul:** Donors should replace one-year project grants with multi-year core
funding.
3. **Open the prison gates to mentors:** Governments should let community mentors meet inmates
before release and support their reintegration afterwards.
4. **Counter hate online:** Technology companies should work with local groups on counter-narratives
and media literacy.
5. **Police and neighbours at one table:** Police services and residents should meet monthly so that
mistrust gives way to confidence.
"""

OWN_THEMES = {
    1: "youth",
    2: "funding",
    3: "rehabilitation-and-reintegration",
    4: "online-and-media",
    5: "trust-building",
}
OWN_ADDRESSEES = {
    2: "donors",
    3: "participating-states",
    4: "media-and-technology-companies",
    5: "law-enforcement",
}


@pytest.mark.django_db
def test_a_text_of_our_own_gets_the_themes_and_addressees_it_is_about() -> None:
    result = parse_summary(OWN_SUMMARY)

    suggestions = suggest_tags(result)

    assert {n: s.themes[0].slug for n, s in suggestions.items()} == OWN_THEMES
    assert {n: s.addressees[0].slug for n, s in suggestions.items() if s.addressees} == OWN_ADDRESSEES


@pytest.mark.django_db
def test_vienna_seed_themes_match_a_careful_reading_for_at_least_11_of_13() -> None:
    result = parse_summary(seed_text(VIENNA))

    suggestions = suggest_tags(result)

    right = sorted(n for n, s in suggestions.items() if VIENNA_THEMES[n] & {t.slug for t in s.themes[:2]})
    first = sorted(n for n, s in suggestions.items() if s.themes and s.themes[0].slug in VIENNA_THEMES[n])
    print(f"Vienna: a right theme in the top two for {len(right)} of 13; first for {len(first)} of 13")
    assert len(suggestions) == 13
    assert len(right) >= 11, f"right in the top two: {right}"


@pytest.mark.django_db
def test_vienna_seed_suggests_law_enforcement_for_trust_building_and_donors_where_donor_funds_are_asked_for() -> None:
    suggestions = suggest_tags(parse_summary(seed_text(VIENNA)))

    trust = next(n for n, s in suggestions.items() if s.themes and s.themes[0].slug == "trust-building")
    assert suggestions[trust].addressees[0].slug == "law-enforcement"
    assert "law enforcement" in suggestions[trust].addressees[0].because
    donor_funds = sorted(n for n, s in suggestions.items() if "donors" in {a.slug for a in s.addressees})
    assert donor_funds == [2]  # the one that asks for help with applying for donor funds


@pytest.mark.django_db
def test_new_york_seed_has_no_recommendation_but_its_letter_paragraph_names_the_un_addressees() -> None:
    result = parse_summary(seed_text(ROUNDTABLE))

    by_paragraph = suggest_tags_for_parts({p.number: [(p.text, 1.0)] for p in result.paragraphs})

    assert suggest_tags(result) == {}
    letter = {a.slug for a in by_paragraph[7].addressees}
    assert letter >= {"un-secretary-general", "un-office-of-counter-terrorism", "undp"}
    assert by_paragraph[2].themes[0].slug == "legal-and-political-space"  # restrictive laws on CSOs
    assert by_paragraph[5].themes[0].slug == "online-and-media"
    assert by_paragraph[4].addressees[0].slug == "media-and-technology-companies"


@pytest.mark.django_db
def test_suggested_names_are_in_the_active_language() -> None:
    result = parse_summary(seed_text(VIENNA))

    with translation.override("fr"):
        french = suggest_tags(result)
    with translation.override("ru"):
        russian = suggest_tags(result)

    trust = next(s for s in french.values() if s.themes and s.themes[0].slug == "trust-building")
    assert (trust.themes[0].name, trust.addressees[0].name) == ("Instauration de la confiance", "Forces de l'ordre")
    assert russian[13].themes[0].name == "Молодёжь"


@pytest.mark.django_db
def test_import_summary_dry_run_json_carries_suggested_themes_and_addressees() -> None:
    out = io.StringIO()

    call_command("import_summary", str(seed_path(VIENNA)), "--dry-run", "--json", stdout=out, stderr=io.StringIO())

    recommendations = json.loads(out.getvalue())["recommendations"]
    themes = [r["suggested_themes"] for r in recommendations]
    assert all(themes)
    assert {key for r in themes for s in r for key in s} == {"slug", "name", "score", "because"}
    assert all([s["score"] for s in r] == sorted((s["score"] for s in r), reverse=True) for r in themes)
    assert recommendations[4]["suggested_addressees"][0]["slug"] == "law-enforcement"


def test_a_tagged_neighbour_suggests_its_theme_with_the_shared_phrases_and_its_reference() -> None:
    neighbour = TaggedNeighbour("CSD-2020-TUN/R4", 0.6, ["mediation circles"], themes=("social-cohesion",))

    [suggestion] = with_neighbours([], [neighbour], "themes", {"social-cohesion": "Social cohesion"})

    assert (suggestion.slug, suggestion.name) == ("social-cohesion", "Social cohesion")
    assert suggestion.score == pytest.approx(0.48)  # its similarity, trusted at 0.8
    assert suggestion.because == ["mediation circles", "similar to CSD-2020-TUN/R4"]


def test_the_lexicon_and_a_neighbour_together_outrank_either_alone() -> None:
    lexical = [Suggestion("youth", "Youth", 0.4, ["youth"]), Suggestion("gender", "Gender", 0.45, ["women"])]
    neighbour = TaggedNeighbour("CSD-2019-NBO/R2", 0.5, ["youth councils"], themes=("youth", "unknown-slug"))

    ranked = with_neighbours(lexical, [neighbour], "themes", {"youth": "Youth", "gender": "Gender"})

    assert [(s.slug, s.score) for s in ranked] == [("youth", 0.64), ("gender", 0.45)]
    assert ranked[0].because == ["youth", "youth councils", "similar to CSD-2019-NBO/R2"]


def test_a_faint_neighbour_alone_suggests_nothing() -> None:
    neighbour = TaggedNeighbour("CSD-2019-NBO/R2", 0.2, [], themes=("youth",))

    assert with_neighbours([], [neighbour], "themes", {"youth": "Youth"}) == []


@pytest.mark.django_db
def test_once_recommendations_are_tagged_their_nearest_neighbours_add_their_tags() -> None:
    mediation = Theme.objects.create(slug="mediation", name="Mediation", name_en="Mediation")
    tagged = RecommendationFactory.create(
        headline="Train neighbourhood mediators",
        body="Neighbourhood mediators should be trained and paid to settle disputes between families.",
    )
    tagged.themes.add(mediation)
    tagged.addressees.add(Addressee.objects.get(slug="local-authorities"))
    RecommendationFactory.create(headline="Publish budgets", body="Ministries should publish budgets.").themes.add(
        Theme.objects.get(slug="funding")
    )
    result = parse_summary(MEDIATION_SUMMARY)

    suggestions = suggest_tags(result)[1]

    theme = next(s for s in suggestions.themes if s.slug == "mediation")
    assert f"similar to {tagged.reference}" in theme.because
    assert "neighbourhood mediators" in theme.because
    assert "local-authorities" in {a.slug for a in suggestions.addressees}
    assert "funding" not in {s.slug for s in suggestions.themes}


# Written for this test: one recommendation like the tagged one above, in other words.
MEDIATION_SUMMARY = """\
Workshop on Everyday Disputes

3 May 2023, Dakar

Meeting Summary and Recommendations

RECOMMENDATIONS

1. **Pay the mediators:** Neighbourhood mediators who settle disputes between families should be paid.
"""


@pytest.mark.django_db
@pytest.mark.parametrize("tagged", [1, 4])
def test_suggest_tags_runs_the_same_queries_however_many_recommendations_are_tagged(
    tagged: int, django_assert_num_queries: Any
) -> None:
    for n in range(tagged):
        rec = RecommendationFactory.create(headline=f"Mediators number {n}", body="Pay the mediators.")
        rec.themes.add(Theme.objects.get(slug="funding"))
        rec.addressees.add(Addressee.objects.get(slug="donors"))
    result = parse_summary(MEDIATION_SUMMARY)

    # The themes, the addressees; the tagged recommendations, their sub-items, themes and addressees.
    with django_assert_num_queries(6):
        suggestions = suggest_tags(result)

    assert "funding" in {s.slug for s in suggestions[1].themes}
