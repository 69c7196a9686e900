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
