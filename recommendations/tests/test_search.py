"""Search and filters of the recommendation list, the same on SQLite and on PostgreSQL.

Each example of issue 15 has its own test; the service path of CI runs this file on PostgreSQL,
the embedded default on SQLite.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from events.tests.factories import ConveningFactory
from gsx_portal import regions
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    assert response.status_code == 200
    return sorted(recommendation.headline for recommendation in response.context["recommendations"])


def search(query: str) -> list[str]:
    return listed(Client().get(f"/recommendations/?{query}"))


# --- Multi-select facets, year ranges, regions ----------------------------------------------------


def test_several_themes_match_any_of_them_and_list_each_recommendation_once() -> None:
    youth, gender, media = (ThemeFactory.create(slug=slug, name=slug.title()) for slug in ("youth", "gender", "media"))
    RecommendationFactory.create(headline="Youth only").themes.add(youth)
    RecommendationFactory.create(headline="Both").themes.add(youth, gender)
    RecommendationFactory.create(headline="Media only").themes.add(media)

    assert search("theme=youth&theme=gender") == ["Both", "Youth only"]
    assert Client().get("/recommendations/?theme=youth&theme=gender").context["paginator"].count == 2


def test_several_addressees_and_statuses_combine_with_and_across_facets() -> None:
    donors, undp = AddresseeFactory.create(slug="donors"), AddresseeFactory.create(slug="undp")
    for headline, addressee, status in [
        ("Donors submitted", donors, "submitted"),
        ("UNDP implemented", undp, "implemented"),
        ("UNDP proposed", undp, "proposed"),
    ]:
        RecommendationFactory.create(headline=headline, status=status).addressees.add(addressee)

    assert search("addressee=donors&addressee=undp&status=submitted&status=implemented") == [
        "Donors submitted",
        "UNDP implemented",
    ]


def test_several_chosen_values_are_all_ticked_and_counted_without_their_own_facet() -> None:
    youth, gender = ThemeFactory.create(slug="youth", name="Youth"), ThemeFactory.create(slug="gender", name="Gender")
    RecommendationFactory.create(status="submitted").themes.add(youth)
    RecommendationFactory.create(status="proposed").themes.add(gender)

    response = Client().get("/recommendations/?theme=youth&theme=gender&status=submitted")

    facets = response.context["facets"]
    assert {(o.value, o.count, o.selected) for o in facets.theme} == {("youth", 1, True), ("gender", 0, True)}
    assert {(o.value, o.count, o.selected) for o in facets.status} == {("submitted", 1, True), ("proposed", 1, False)}
    chips = [(item["name"], item["value"]) for item in response.context["active_filters"]]
    # A chosen value that matches nothing under the other filters keeps its slug as its label.
    assert chips == [("theme", "Youth"), ("theme", "gender"), ("status", "Submitted")]
    remove_gender = next(item["remove"] for item in response.context["active_filters"] if item["value"] == "gender")
    assert parse_qsl(remove_gender) == [("theme", "youth"), ("status", "submitted")]


def test_year_range_keeps_the_years_between_both_ends() -> None:
    for year in (2015, 2017, 2019, 2021):
        RecommendationFactory.create(headline=f"In {year}", convening__start_date=dt.date(year, 6, 1))

    assert search("year_from=2017&year_to=2019") == ["In 2017", "In 2019"]
    assert search("year_from=2019") == ["In 2019", "In 2021"]
    assert search("year_to=2015") == ["In 2015"]
    assert search("year=2021") == ["In 2021"]


def test_year_facet_counts_every_year_whatever_the_range() -> None:
    for year in (2015, 2017, 2019):
        RecommendationFactory.create(convening__start_date=dt.date(year, 6, 1))

    response = Client().get("/recommendations/?year_from=2017")

    assert [(o.value, o.count) for o in response.context["facets"].year] == [("2019", 1), ("2017", 1), ("2015", 1)]
    assert '<option value="2017" selected>2017 (1)</option>' in response.content.decode()


def test_region_is_derived_from_the_country_at_both_levels() -> None:
    for headline, country in [
        ("Vienna", "Austria"),
        ("Sarajevo", "Bosnia and Herzegovina"),
        ("Nairobi", "kenya "),
        ("New York", "USA"),
        ("Nowhere", "Atlantis"),
    ]:
        RecommendationFactory.create(headline=headline, convening__country=country)

    assert search("region=europe") == ["Sarajevo", "Vienna"]
    assert search("region=western-europe") == ["Vienna"]
    assert search("region=eastern-africa&region=northern-america") == ["Nairobi", "New York"]
    assert search("region=no-such-region") == []


def test_region_facet_offers_regions_with_their_areas_nested() -> None:
    for country in ("Austria", "France", "Kenya", "Atlantis"):
        RecommendationFactory.create(convening__country=country)

    response = Client().get("/recommendations/?region=western-europe")

    assert [(o.value, o.count, o.selected, o.depth) for o in response.context["facets"].region] == [
        ("africa", 1, False, 0),
        ("eastern-africa", 1, False, 1),
        ("europe", 2, False, 0),
        ("western-europe", 2, True, 1),
    ]


def test_regions_table_knows_every_country_of_the_bench_and_the_demo() -> None:
    # The 20,000-recommendation bench's countries (loaded by path: bench/ is no package).
    spec = importlib.util.spec_from_file_location(
        "bench_data", Path(settings.BASE_DIR) / "bench" / "generate_bench_data.py"
    )
    assert spec is not None and spec.loader is not None
    bench_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_data)

    countries = [*bench_data.COUNTRIES, "Switzerland", "Austria"]
    assert [country for country in countries if regions.area_of(country) is None] == []
    assert [r.slug for r in regions.regions_of("Türkiye")] == ["asia", "western-asia"]


@pytest.mark.parametrize(
    "query",
    ["theme=" + "x" * 500, "&".join(f"theme=t{n}" for n in range(30)), "year_from=abc", "year_to=99999", "region=%00"],
)
def test_bad_multi_values_and_ranges_are_ignored_and_named(query: str) -> None:
    RecommendationFactory.create(headline="Still listed")

    response = Client().get(f"/recommendations/?{query}")

    assert listed(response) == ["Still listed"]
    assert len(response.context["ignored"]) == 1


# --- Shared addresses carry only the filters that are set ------------------------------------


def test_a_plain_form_submission_is_sent_to_its_address_without_empty_fields() -> None:
    response = Client().get("/recommendations/?q=police&theme=&year_from=&year_to=2020&sort=&per_page=")

    assert (response.status_code, response["Location"]) == (302, "/recommendations/?q=police&year_to=2020")


def test_a_plain_form_submission_drops_the_default_sort_and_page_size() -> None:
    plain = Client().get("/recommendations/?theme=youth&sort=newest&per_page=25")
    searched = Client().get("/recommendations/?q=police&sort=relevance&per_page=50")
    chosen = Client().get("/recommendations/?q=police&sort=newest")

    assert (plain.status_code, plain["Location"]) == (302, "/recommendations/?theme=youth")
    assert (searched.status_code, searched["Location"]) == (302, "/recommendations/?q=police&per_page=50")
    assert chosen.status_code == 200


def test_an_empty_form_submission_is_sent_to_the_bare_list() -> None:
    response = Client().get("/recommendations/?q=&theme=")

    assert (response.status_code, response["Location"]) == (302, "/recommendations/")


def test_share_link_and_exports_carry_only_the_understood_filters() -> None:
    RecommendationFactory.create()

    response = Client().get("/recommendations/?theme=youth&theme=gender&status=bogus&year_from=2017&page=1")

    share = urlsplit(response.context["share_url"])
    assert (share.scheme, share.netloc, share.path) == ("http", "testserver", "/recommendations/")
    assert parse_qsl(share.query) == [("theme", "youth"), ("theme", "gender"), ("year_from", "2017")]
    assert parse_qsl(response.context["export_query"]) == parse_qsl(share.query)
    assert f'href="{response.context["share_url"]}"' in response.content.decode().replace("&amp;", "&")


def test_share_link_of_the_bare_list_has_no_query_and_keeps_a_chosen_sort() -> None:
    bare = Client().get("/recommendations/")
    sorted_ = Client().get("/recommendations/?sort=endorsed")

    assert bare.context["share_url"] == "http://testserver/recommendations/"
    assert sorted_.context["share_url"] == "http://testserver/recommendations/?sort=endorsed"


def test_filter_form_asks_the_browser_to_omit_empty_fields() -> None:
    html = Client().get("/recommendations/").content.decode()

    assert 'role="search" data-omit-empty' in html


def test_convenings_in_several_countries_at_once() -> None:
    ConveningFactory.create(country="Austria")
    RecommendationFactory.create(headline="Austria", convening__country="Austria")
    RecommendationFactory.create(headline="Kenya", convening__country="Kenya")
    RecommendationFactory.create(headline="Peru", convening__country="Peru")

    assert search("country=austria&country=Kenya") == ["Austria", "Kenya"]


# --- The query language: every example, on both databases -----------------------------------------


@pytest.fixture
def texts(db: None) -> None:
    RecommendationFactory.create(headline="Core funding for youth groups", body="Multi-year grants.")
    RecommendationFactory.create(headline="Funding the core", body="Pay for the core costs of youth groups.")
    RecommendationFactory.create(headline="Youth media projects", body="Radio and online work.")
    RecommendationFactory.create(headline="Police dialogue", body="Community policing with neighbourhoods.")


def test_quoted_phrase_matches_the_words_together_only(texts: None) -> None:
    assert search('q="core funding"') == ["Core funding for youth groups"]


def test_or_matches_either_word(texts: None) -> None:
    assert search("q=dialogue+or+media") == ["Police dialogue", "Youth media projects"]
    assert search("q=dialogue+OR+media") == ["Police dialogue", "Youth media projects"]


def test_minus_leaves_a_word_out(texts: None) -> None:
    assert search("q=youth+-media") == ["Core funding for youth groups", "Funding the core"]
    assert search('q=youth+-"core funding"') == ["Funding the core", "Youth media projects"]


def test_a_query_of_only_minus_words_lists_everything_else(texts: None) -> None:
    assert search("q=-youth") == ["Police dialogue"]


def test_words_are_stemmed(texts: None) -> None:
    assert search("q=funded") == ["Core funding for youth groups", "Funding the core"]
    assert search("q=police") == ["Police dialogue"]  # the body says "policing"
    assert search("q=neighbourhood+grant") == []  # every word must match, in one place


def test_every_word_must_match_and_stop_words_are_ignored(texts: None) -> None:
    assert search("q=the+youth+radio") == ["Youth media projects"]
    assert search("q=the") == []


def test_sub_items_are_searched_too() -> None:
    from recommendations.tests.factories import SubItemFactory

    recommendation = RecommendationFactory.create(headline="Young people lead", body="Design with them.")
    SubItemFactory.create(recommendation=recommendation, letter="a", text="pay young facilitators for their time")
    RecommendationFactory.create(headline="Unrelated", body="Nothing to see.")

    assert search("q=facilitator") == ["Young people lead"]
    assert search("q=facilitators+or+nothing") == ["Unrelated", "Young people lead"]


def test_words_found_across_the_body_and_the_sub_items_match_together() -> None:
    # One document per recommendation (migration 0012): headline, body and sub-items read as one.
    from recommendations.tests.factories import SubItemFactory

    recommendation = RecommendationFactory.create(headline="Young people lead", body="Design with them.")
    SubItemFactory.create(recommendation=recommendation, letter="a", text="pay facilitators")
    SubItemFactory.create(recommendation=recommendation, letter="b", text="publish the budget")

    assert search("q=design+budget") == ["Young people lead"]
    assert search("q=facilitators+-budget") == []


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("P/CVE", "Fund preventing and countering violent extremism work in towns."),
        ("preventing and countering violent extremism", "Local P/CVE networks need funds."),
        ("PCVE", "Local P/CVE networks need funds."),
        ("P/CVERLT", "Address violent extremism and radicalization that lead to terrorism early."),
        ("VERLT", "National P/CVERLT plans should include civil society."),
        ("CVE", "Rethink countering violent extremism programmes."),
        ("countering violent extremism", "CVE programmes should be evaluated."),
        ("PVE", "Schools have a part in preventing violent extremism."),
        ('"prevention of violent extremism"', "PVE strategies need local ownership."),
        ("R/R", "Rehabilitation and reintegration of returnees needs psychologists."),
        ("rehabilitation and reintegration", "R/R programmes in prisons."),
        ("CSO", "Civil society organizations should be consulted."),
        ("civil society organisation", "Consult CSOs before laws pass."),
        ("NGO", "Non-governmental organizations need a safe space."),
        ("non-governmental organization", "NGOs need a safe space."),
        ("CT", "Counter-terrorism laws must respect human rights."),
        ("counterterrorism", "CT laws must respect human rights."),
        ("UNOCT", "The UN Office of Counter-Terrorism should fund partners."),
        ("UN Office of Counter-Terrorism", "UNOCT should fund partners."),
        ("OCT", "The Office of Counter-Terrorism should publish its grants."),
    ],
)
def test_each_synonym_family_finds_every_spelling(query: str, text: str) -> None:
    RecommendationFactory.create(headline="Target", body=text)
    RecommendationFactory.create(headline="Control", body="Youth sports and arts in the neighbourhood.")

    assert listed(Client().get("/recommendations/", {"q": query})) == ["Target"]


def test_synonyms_combine_with_other_words(texts: None) -> None:
    RecommendationFactory.create(headline="CSO security", body="Donors should fund CSO security.")
    RecommendationFactory.create(headline="Organizations", body="Civil society organizations need security.")
    RecommendationFactory.create(headline="Security alone", body="Security of premises.")

    assert search("q=CSO+security") == ["CSO security", "Organizations"]


def test_text_and_facets_combine(texts: None) -> None:
    youth = ThemeFactory.create(slug="youth")
    RecommendationFactory.create(headline="Core funding on theme", body="core funding").themes.add(youth)

    assert search("q=%22core+funding%22&theme=youth") == ["Core funding on theme"]


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "colon: at: every: word:",
        "back\\slash \\\\ and \\'",
        "& | ! ( ) :* <-> ''",
        "or or -",
        'NEAR("a" "b") AND OR NOT ^x',
        '""""',
        "x" * 200,
    ],
)
def test_hostile_queries_answer_on_both_databases(texts: None, text: str) -> None:
    response = Client().get("/recommendations/", {"q": text})

    assert response.status_code == 200


# --- Snippets --------------------------------------------------------------------------------------


def test_results_show_where_the_words_matched_marked_and_escaped() -> None:
    RecommendationFactory.create(
        headline="Grants", body="Donors should offer <b>multi-year</b> grants to local youth groups in every region."
    )

    response = Client().get("/recommendations/", {"q": "grants youth"})

    html = response.content.decode()
    snippet = html.split('class="rec-excerpt rec-snippet">')[1].split("</p>")[0]
    assert "<mark>grants</mark>" in snippet
    assert "<mark>youth</mark>" in snippet
    # The body's own markup never reaches the page as markup (PostgreSQL drops it, SQLite's is
    # escaped).
    assert "<b>" not in snippet and "multi-year" in snippet


def test_a_match_only_in_the_headline_shows_the_plain_excerpt() -> None:
    RecommendationFactory.create(headline="Radio for peace", body="Community stations reach villages.")

    html = Client().get("/recommendations/", {"q": "radio"}).content.decode()

    assert '<p class="rec-excerpt">Community stations reach villages.</p>' in html


# --- Indexes ------------------------------------------------------------------------------------------


def test_the_search_follows_every_write_without_save() -> None:
    # SQLite: the FTS5 tables' triggers; PostgreSQL: the generated search_document columns.
    from recommendations.models import Recommendation, SubItem
    from recommendations.tests.factories import SubItemFactory

    recommendation = RecommendationFactory.create(headline="Alpha", body="first words")
    sub_item = SubItemFactory.create(recommendation=recommendation, letter="a", text="gamma")
    Recommendation.objects.filter(pk=recommendation.pk).update(body="second words")  # no save()
    SubItem.objects.filter(pk=sub_item.pk).update(text="delta")

    assert (search("q=first"), search("q=second")) == ([], ["Alpha"])
    assert (search("q=gamma"), search("q=delta")) == ([], ["Alpha"])
    sub_item.delete()
    assert search("q=delta") == []
    recommendation.delete()
    assert search("q=second") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM recommendations_recommendation_fts")
            assert cursor.fetchone() == (0,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking by relevance is PostgreSQL's ts_rank")
def test_a_match_in_the_headline_ranks_above_one_in_the_body() -> None:
    # The stored document weights the headline A and the body B (migration 0009).
    RecommendationFactory.create(headline="Fund local councils", body="Over three years, mentoring included.")
    RecommendationFactory.create(headline="Mentoring for returnees", body="Over three years, with councils.")

    response = Client().get("/recommendations/", {"q": "mentoring"})

    assert [r.headline for r in response.context["recommendations"]] == [
        "Mentoring for returnees",
        "Fund local councils",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only")
def test_a_query_with_synonyms_and_negation_still_uses_the_gin_index() -> None:
    from recommendations.models import Recommendation
    from recommendations.search import text_search

    RecommendationFactory.create_batch(3)
    with connection.cursor() as cursor:
        # Tiny tables make a sequential scan cheaper; forbid it to learn whether the index *can* serve.
        cursor.execute("SET enable_seqscan = off")
        plan = text_search(Recommendation.objects.order_by(), 'CSO "core funding" or youth -media').explain()
        cursor.execute("SET enable_seqscan = on")

    assert "recommendation_document_gin" in plan  # sub-items are in the recommendation's document
    assert "websearch_to_tsquery" in str(text_search(Recommendation.objects.all(), "CSO").query)


# --- Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "cso_member", "secretariat"], indirect=True)
def test_a_text_search_with_several_filters_runs_constant_queries(persona) -> None:
    from django.test.utils import CaptureQueriesContext

    from conftest import client_for
    from recommendations.models import Endorsement, Recommendation
    from recommendations.tests.factories import EndorsementFactory

    youth, gender = ThemeFactory.create(slug="youth"), ThemeFactory.create(slug="gender")
    donors = AddresseeFactory.create(slug="donors")
    client = client_for(persona)
    url = (
        "/recommendations/?q=grants+or+%22core+funding%22+-online&theme=youth&theme=gender&addressee=donors"
        "&region=europe&year_from=2010&year_to=2030&status=proposed&status=submitted"
    )
    counts = []
    for count in (1, 20):
        Endorsement.objects.all().delete()  # protected: they go first
        Recommendation.objects.all().delete()
        for index in range(count):
            recommendation = RecommendationFactory.create(
                body=f"Core funding and grants, number {index}.",
                convening__country="Austria",
                convening__start_date=dt.date(2017, 5, 25),
            )
            recommendation.themes.add(youth if index % 2 else gender)
            recommendation.addressees.add(donors)
            EndorsementFactory.create(recommendation=recommendation)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["recommendations"]) == count
        counts.append(len(captured))

    assert counts[0] == counts[1]
    # Staff requests also load the session's second-factor device (django-otp): one query more. A
    # signed-in member's page reads the memberships they act through and which rows their
    # organizations back (endorsing from the list): one or two more.
    assert counts[0] <= 14
