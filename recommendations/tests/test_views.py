"""The public recommendation pages: the searchable list, one recommendation, a theme."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import OUTSIDE_SECRETARIAT, assert_ignored_notice, client_for
from events.models import Convening
from events.tests.factories import ConveningFactory, ParagraphFactory
from organizations.tests.factories import OrganizationFactory
from recommendations.filters import RecommendationFilter, text_search
from recommendations.models import Endorsement, Recommendation
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    RecommendationFactory,
    SubItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"unbalanced quote',
    "colon: at: every: word:",
    "back\\slash \\\\ and \\'",
    "<script>alert('x')</script>",
    "& | ! ( ) :* <-> ''",
    "or or -",
    "x" * 500,
]


def listed(response) -> list[str]:
    return [recommendation.headline for recommendation in response.context["recommendations"]]


def queries_for(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured)


# --- The list: search and filters ---------------------------------------------------------------


def test_recommendation_list_searches_headline_body_and_sub_items() -> None:
    RecommendationFactory.create(headline="Fund the core", body="Multi-year grants for local groups.")
    with_sub_item = RecommendationFactory.create(headline="Young people lead", body="Design with them.")
    SubItemFactory.create(recommendation=with_sub_item, letter="a", text="pay young facilitators for their time")
    RecommendationFactory.create(headline="Unrelated", body="Nothing to see.")

    by_body = Client().get("/recommendations/?q=grants")
    by_sub_item = Client().get("/recommendations/?q=facilitators")

    assert listed(by_body) == ["Fund the core"]
    assert listed(by_sub_item) == ["Young people lead"]


def test_recommendation_list_requires_every_word() -> None:
    RecommendationFactory.create(headline="Police dialogue", body="Neighbourhood meetings with police.")
    RecommendationFactory.create(headline="Police training", body="Training on human rights.")

    response = Client().get("/recommendations/?q=police+neighbourhood")

    assert listed(response) == ["Police dialogue"]


def test_recommendation_list_filters_by_theme_addressee_convening_year_status_and_country() -> None:
    youth = ThemeFactory.create(slug="youth", name="Youth")
    donors = AddresseeFactory.create(slug="donors", name="Donors")
    vienna = ConveningFactory.create(slug="vienna-2017", start_date=dt.date(2017, 5, 25), country="Austria")
    target = RecommendationFactory.create(convening=vienna, headline="Target", status="submitted")
    target.themes.add(youth)
    target.addressees.add(donors)
    other_status = RecommendationFactory.create(convening=vienna, headline="Other status", status="proposed")
    other_status.themes.add(youth)
    other_status.addressees.add(donors)
    elsewhere = RecommendationFactory.create(headline="Elsewhere", status="submitted")
    elsewhere.themes.add(youth)

    response = Client().get(
        "/recommendations/?theme=youth&addressee=donors&convening=vienna-2017&year=2017&status=submitted&country=austria"
    )

    assert listed(response) == ["Target"]


def test_recommendation_list_counts_each_facet_with_the_other_filters() -> None:
    youth = ThemeFactory.create(slug="youth", name="Youth")
    gender = ThemeFactory.create(slug="gender", name="Gender")
    for status, theme in [("submitted", youth), ("submitted", youth), ("proposed", youth), ("submitted", gender)]:
        RecommendationFactory.create(status=status).themes.add(theme)

    response = Client().get("/recommendations/?theme=youth&status=submitted")

    facets = response.context["facets"]
    assert len(listed(response)) == 2
    assert {(o.value, o.count, o.selected) for o in facets.theme} == {("youth", 2, True), ("gender", 1, False)}
    assert {(o.value, o.count, o.selected) for o in facets.status} == {("submitted", 2, True), ("proposed", 1, False)}
    html = response.content.decode()
    assert re.search(
        r'<input type="checkbox" id="f-theme-\d+" name="theme" value="gender"> Gender <span class="count">\(1\)', html
    )
    assert re.search(r'<input type="checkbox" id="f-theme-\d+" name="theme" value="youth" checked> Youth', html)


def test_recommendation_list_offers_the_most_recent_convenings_and_any_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recommendations import selectors

    monkeypatch.setattr(selectors, "CONVENING_FACET_SIZE", 3)
    convenings = [
        ConveningFactory.create(slug=f"meeting-{year}", start_date=dt.date(year, 3, 1)) for year in range(2015, 2021)
    ]
    for convening in convenings:
        RecommendationFactory.create(convening=convening)

    response = Client().get("/recommendations/")

    facets = response.context["facets"]
    assert [o.value for o in facets.convening] == ["meeting-2020", "meeting-2019", "meeting-2018"]
    assert facets.convening_more == 3
    html = response.content.decode()
    assert "3 older convenings are on" in html
    assert 'href="/convenings/"' in html

    # An older convening chosen by its link stays offered, selected, with its count.
    chosen = Client().get("/recommendations/?convening=meeting-2015").context["facets"]
    assert [(o.value, o.count, o.selected) for o in chosen.convening][-1] == ("meeting-2015", 1, True)
    assert chosen.convening_more == 2

    # Below the limit, every convening is offered and nothing is said.
    monkeypatch.setattr(selectors, "CONVENING_FACET_SIZE", 100)
    ConveningFactory.create(slug="meeting-2021", start_date=dt.date(2021, 3, 1))  # moves the versions
    response = Client().get("/recommendations/")
    assert len(response.context["facets"].convening) == 6
    assert "older convening" not in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["New", "Popular", "Old"]),
        ("endorsed", ["Popular", "New", "Old"]),
        ("reference", ["Old", "Popular", "New"]),
    ],
)
def test_recommendation_list_sorts(sort: str, expected: list[str]) -> None:
    old = ConveningFactory.create(code="A-2017", start_date=dt.date(2017, 1, 1))
    middle = ConveningFactory.create(code="B-2020", start_date=dt.date(2020, 1, 1))
    new = ConveningFactory.create(code="C-2025", start_date=dt.date(2025, 1, 1))
    RecommendationFactory.create(convening=old, headline="Old")
    popular = RecommendationFactory.create(convening=middle, headline="Popular")
    RecommendationFactory.create(convening=new, headline="New")
    EndorsementFactory.create_batch(2, recommendation=popular)

    # The default sort (newest) is dropped from the address by a redirect.
    response = Client().get(f"/recommendations/?sort={sort}", follow=True)

    assert listed(response) == expected


def test_recommendation_list_pages_hold_at_most_100() -> None:
    convening = ConveningFactory.create()
    RecommendationFactory.create_batch(105, convening=convening)

    default = Client().get("/recommendations/")
    largest = Client().get("/recommendations/?per_page=100")
    too_large = Client().get("/recommendations/?per_page=5000")

    assert len(listed(default)) == 25
    assert len(listed(largest)) == 100
    assert len(listed(too_large)) == 25


def test_recommendation_list_page_past_the_end_shows_the_last_page() -> None:
    RecommendationFactory.create_batch(30)

    response = Client().get("/recommendations/?page=999999")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


@pytest.mark.parametrize(
    ("query", "ignored", "rows"),
    [
        ("status=bogus", ["Status"], ["Still listed"]),
        ("year=abc", ["Year"], ["Still listed"]),
        ("year=-5", ["Year"], ["Still listed"]),
        ("theme=no-such-theme", [], []),
        ("addressee=%00", ["Addressed to"], ["Still listed"]),
        ("convening=%F0%9F%92%A5", [], []),
        ("endorsed_by=nobody", [], []),
        ("sort=sideways", ["Sort by"], ["Still listed"]),
        ("per_page=abc", [], ["Still listed"]),
        ("page=abc", [], ["Still listed"]),
        ("page=-1", [], ["Still listed"]),
        ("country[]=x&theme=a&theme=b", [], []),
    ],
)
def test_recommendation_list_survives_unknown_filter_values(query: str, ignored: list[str], rows: list[str]) -> None:
    RecommendationFactory.create(headline="Still listed")

    response = Client().get(f"/recommendations/?{query}")

    assert response.status_code == 200
    assert listed(response) == rows
    assert_ignored_notice(response, ignored)


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_recommendation_list_shows_hostile_queries_back_escaped(text: str) -> None:
    RecommendationFactory.create()

    response = Client().get("/recommendations/", {"q": text})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html


def test_recommendation_list_echoes_the_query_escaped() -> None:
    response = Client().get("/recommendations/", {"q": '<script>"x"</script>'})

    html = response.content.decode()
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html
    assert '<script>"x"' not in html


def test_recommendation_list_reports_values_it_ignored() -> None:
    response = Client().get("/recommendations/?status=bogus")

    assert response.context["ignored"] == ["Status"]
    assert "could not be understood" in response.content.decode()


def test_recommendation_list_answers_htmx_with_the_panel_only() -> None:
    RecommendationFactory.create(headline="In the panel")

    partial = Client().get("/recommendations/?q=panel", headers={"HX-Request": "true"})
    restore = Client().get(
        "/recommendations/?q=panel", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert partial.content.decode().lstrip().startswith('<div id="portal-list"')
    assert "In the panel" in partial.content.decode()
    assert "<html" in restore.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_recommendation_list_works_as_a_plain_get_form() -> None:
    recommendation = RecommendationFactory.create(convening__country="Austria")
    recommendation.themes.add(ThemeFactory.create())
    recommendation.addressees.add(AddresseeFactory.create())
    EndorsementFactory.create(recommendation=recommendation)

    html = Client().get("/recommendations/").content.decode()

    assert re.search(r'<form id="filters" class="filters" method="get" action="/recommendations/"', html)
    for name in ("q", "convening", "year_from", "year_to", "country", "endorsed_by", "sort"):
        assert f'name="{name}"' in html
        assert f'<label for="f-{name}"' in html
    # Several values at once: a group of ticked boxes, named by its legend.
    for name in ("theme", "addressee", "status", "region"):
        assert f'<input type="checkbox" id="f-{name}-1" name="{name}"' in html
        assert f'<fieldset class="field facet-choices" id="f-{name}">' in html


# --- Who may see what ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_recommendation_list_hides_drafts_from_everyone_outside_the_secretariat(persona) -> None:
    RecommendationFactory.create(headline="Published one")
    RecommendationFactory.create(headline="Draft one", convening__status=Convening.Status.DRAFT)

    response = client_for(persona).get("/recommendations/")

    assert listed(response) == ["Published one"]
    assert "Draft one" not in response.content.decode()


def test_recommendation_list_shows_drafts_to_the_secretariat(secretariat) -> None:
    RecommendationFactory.create(headline="Draft one", convening__status=Convening.Status.DRAFT)

    response = client_for(secretariat).get("/recommendations/")

    assert listed(response) == ["Draft one"]


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_endorsed_by_never_finds_an_organization_that_is_not_named(persona) -> None:
    shy = OrganizationFactory.create(slug="shy-org", name="Shy Organization")
    EndorsementFactory.create(organization=shy, is_named=False, recommendation__headline="Quietly backed")

    response = client_for(persona).get("/recommendations/?endorsed_by=shy-org")
    unfiltered = client_for(persona).get("/recommendations/")

    assert listed(response) == []
    assert "Shy Organization" not in unfiltered.content.decode()
    assert [o.value for o in unfiltered.context["facets"].endorsed_by] == []


def test_endorsed_by_finds_named_endorsements_and_offers_their_organization() -> None:
    proud = OrganizationFactory.create(slug="proud-org", name="Proud Organization")
    EndorsementFactory.create(organization=proud, recommendation__headline="Openly backed")
    EndorsementFactory.create(
        organization=proud, recommendation__headline="Withdrawn", withdrawn_at=dt.datetime.now(dt.UTC)
    )
    RecommendationFactory.create(headline="Not backed")

    response = Client().get("/recommendations/?endorsed_by=proud-org")

    assert listed(response) == ["Openly backed"]
    assert [(o.value, o.count) for o in response.context["facets"].endorsed_by] == [("proud-org", 1)]


def test_endorsed_by_lets_the_secretariat_find_unnamed_endorsers(secretariat) -> None:
    shy = OrganizationFactory.create(slug="shy-org")
    EndorsementFactory.create(organization=shy, is_named=False, recommendation__headline="Quietly backed")

    response = client_for(secretariat).get("/recommendations/?endorsed_by=shy-org")

    assert listed(response) == ["Quietly backed"]


@pytest.mark.parametrize("persona", ["anonymous", "cso_member", "secretariat"], indirect=True)
def test_recommendation_list_runs_constant_queries_at_most_12(persona) -> None:
    theme = ThemeFactory.create()
    addressee = AddresseeFactory.create()
    client = client_for(persona)
    counts = []
    for count in (1, 20):
        Endorsement.objects.all().delete()  # protected: they go first
        Recommendation.objects.all().delete()
        for _ in range(count):
            recommendation = RecommendationFactory.create()
            recommendation.themes.add(theme, ThemeFactory.create())
            recommendation.addressees.add(addressee)
            EndorsementFactory.create(recommendation=recommendation)
        counts.append(queries_for(client, "/recommendations/?q=headline&status=proposed&sort=endorsed"))

    assert counts[0] == counts[1]
    # Staff requests also load the session's second-factor device (django-otp): one query more.
    # Signed in, the page also reads the memberships the user acts through (staff: the
    # second-factor device instead of the rows backed) and which rows their organizations back
    # (endorsing from the list).
    assert counts[0] <= (14 if persona.is_authenticated else 12)


# --- One recommendation -------------------------------------------------------------------------


def test_recommendation_page_shows_everything_about_it() -> None:
    convening = ConveningFactory.create(code="CSD-2017-VIE", slug="csd-2017-vienna")
    paragraph = ParagraphFactory.create(convening=convening, number=12, text="Participants proposed a brief.")
    recommendation = RecommendationFactory.create(
        convening=convening, number=2, headline="Young people as co-designers", body="Design **with** them.[^1]"
    )
    SubItemFactory.create(recommendation=recommendation, letter="a", text="seats for youth")
    SubItemFactory.create(recommendation=recommendation, letter="b", text="pay facilitators")
    recommendation.themes.add(ThemeFactory.create(name="Youth"))
    recommendation.addressees.add(AddresseeFactory.create(name="Donors"))
    recommendation.source_paragraphs.add(paragraph)

    response = Client().get("/convenings/csd-2017-vienna/r/2/")

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Young people as co-designers", "<strong>with</strong>", "seats for youth", 'id="r2-b"'):
        assert text in html
    for text in ("Youth", "Donors", "Participants proposed a brief.", "/convenings/csd-2017-vienna/#p12"):
        assert text in html
    assert 'value="CSD-2017-VIE/R2"' in html
    assert "data-copy=" in html


def test_recommendation_page_counts_unnamed_endorsers_without_naming_them() -> None:
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization__name="Named Org")
    EndorsementFactory.create(recommendation=recommendation, organization__name="Hidden Org", is_named=False)

    html = Client().get(recommendation.get_absolute_url()).content.decode()

    assert "Endorsed by 2 organizations, 1 of them not named" in html
    assert "Hidden Org" not in html


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_recommendation_page_of_a_draft_is_404_outside_the_secretariat(persona) -> None:
    recommendation = RecommendationFactory.create(convening__status=Convening.Status.DRAFT)

    response = client_for(persona).get(recommendation.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/convenings/nowhere/r/1/", "/convenings/{slug}/r/99/", "/convenings/{slug}/r/0/"])
def test_recommendation_page_of_an_unknown_one_is_404(url: str) -> None:
    recommendation = RecommendationFactory.create()

    response = Client().get(url.format(slug=recommendation.convening.slug))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "cso_member", "secretariat"], indirect=True)
def test_recommendation_page_runs_constant_queries(persona) -> None:
    client = client_for(persona)
    pages = []
    for count in (1, 20):
        recommendation = RecommendationFactory.create()
        for index in range(count):
            SubItemFactory.create(recommendation=recommendation, letter=f"{index:02d}")
            recommendation.themes.add(ThemeFactory.create())
            recommendation.addressees.add(AddresseeFactory.create())
            EndorsementFactory.create(recommendation=recommendation, is_named=index % 2 == 0)
            recommendation.source_paragraphs.add(ParagraphFactory.create(convening=recommendation.convening))
        pages.append(recommendation.get_absolute_url())

    first = [queries_for(client, url) for url in pages]  # every fragment read and cached
    again = [queries_for(client, url) for url in pages]  # the fragments from the cache

    assert (first[0], again[0]) == (first[1], again[1])
    # Again, anonymous: the recommendation with its convening, and the letters it supports.
    # Signed in, also the session and user, the network membership, the organizations the reader
    # acts through and their endorsement form, follows; staff: the second-factor device and the
    # status update form (whose "open" reads the timeline).
    assert first[0] <= (26 if persona.is_authenticated else 16)
    assert again[0] <= (15 if persona.is_authenticated else 2)


# --- Themes -------------------------------------------------------------------------------------


def test_theme_page_lists_recommendations_across_convenings_by_year() -> None:
    youth = ThemeFactory.create(slug="youth", name="Youth")
    for year, headline in [(2017, "Early"), (2025, "Recent"), (2025, "Also recent")]:
        RecommendationFactory.create(convening__start_date=dt.date(year, 5, 1), headline=headline).themes.add(youth)
    RecommendationFactory.create(headline="Draft", convening__status=Convening.Status.DRAFT).themes.add(youth)
    RecommendationFactory.create(headline="Other theme")

    response = Client().get("/themes/youth/")

    years = [(group.year, sorted(r.headline for r in group.recommendations)) for group in response.context["years"]]
    assert years == [(2025, ["Also recent", "Recent"]), (2017, ["Early"])]
    assert "Draft" not in response.content.decode()


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_theme_page_leaves_out_drafts_and_unnamed_endorsers(persona) -> None:
    youth = ThemeFactory.create(slug="youth")
    RecommendationFactory.create(headline="Draft one", convening__status=Convening.Status.DRAFT).themes.add(youth)
    published = RecommendationFactory.create(headline="Published one")
    published.themes.add(youth)
    EndorsementFactory.create(recommendation=published, organization__name="Hidden Org", is_named=False)

    response = client_for(persona).get("/themes/youth/")

    html = response.content.decode()
    assert [r.headline for r in response.context["recommendations"]] == ["Published one"]
    assert (response.context["figures"].recommendations, response.context["figures"].endorsements) == (1, 1)
    assert "Draft one" not in html and "Hidden Org" not in html


def test_theme_page_of_an_unknown_slug_is_404() -> None:
    response = Client().get("/themes/no-such-theme/")

    assert response.status_code == 404


def test_theme_page_links_to_every_organization_on_the_theme_when_it_shows_only_some(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recommendations import selectors

    monkeypatch.setattr(selectors, "THEME_ORGANIZATIONS", 2)
    youth = ThemeFactory.create(slug="youth", name="Youth")
    for name in ("Alpha Network", "Beta Forum"):
        OrganizationFactory.create(name=name).themes.add(youth)
    link = 'href="/organizations/?theme=youth"'

    two = Client().get("/themes/youth/")
    OrganizationFactory.create(name="Gamma Circle").themes.add(youth)
    three = Client().get("/themes/youth/")

    assert [o.name for o in two.context["organizations"]] == ["Alpha Network", "Beta Forum"]
    assert link not in two.content.decode()
    assert [o.name for o in three.context["organizations"]] == ["Alpha Network", "Beta Forum"]
    assert link in three.content.decode()
    assert "Gamma Circle" in Client().get("/organizations/?theme=youth").content.decode()


def test_theme_and_home_figures_group_thousands() -> None:
    from recommendations.models import Recommendation

    youth = ThemeFactory.create(slug="youth")
    recommendation = RecommendationFactory.create()
    recommendation.themes.add(youth)
    Recommendation.objects.filter(pk=recommendation.pk).update(endorsement_tally=12345)
    ConveningFactory.create()  # moves the versions past the UPDATE, which sends no signal

    assert "<strong>12,345</strong>" in Client().get("/themes/youth/").content.decode()
    assert "<strong>12,345</strong>" in Client().get("/").content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_theme_page_runs_constant_queries(count: int, django_assert_max_num_queries) -> None:
    youth = ThemeFactory.create(slug="youth")
    for _ in range(count):
        recommendation = RecommendationFactory.create()
        recommendation.themes.add(youth)
        recommendation.addressees.add(AddresseeFactory.create())
        EndorsementFactory.create(recommendation=recommendation)
        OrganizationFactory.create().themes.add(youth)

    with django_assert_max_num_queries(8):
        response = Client().get("/themes/youth/")
    with django_assert_max_num_queries(2):  # the theme and its organizations; the rest from the cache
        again = Client().get("/themes/youth/")

    assert len(response.context["recommendations"]) == count
    assert again.content.decode().count('class="rec-card"') == count


# --- Languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "heading"), [("fr", "Recommandations"), ("ru", "Рекомендации")])
def test_language_switch_keeps_the_page_and_translates_it(language: str, heading: str) -> None:
    client = Client()

    response = client.post("/i18n/setlang/", {"language": language, "next": "/recommendations/?q=youth"})
    page = client.get(response["Location"])

    assert response["Location"] == "/recommendations/?q=youth"
    assert f"<h1>{heading}</h1>" in page.content.decode()


def po_entries(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file as {field: text}, continuation lines joined (no polib needed)."""
    entries: list[dict[str, str]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str] = {}
        field = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += line[1:-1]
            else:
                field, _, text = line.partition(" ")
                entry[field] = text[1:-1]
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_locale_catalogue_translates_every_message(language: str) -> None:
    catalogue = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"

    entries = po_entries(catalogue)

    untranslated = [
        entry["msgid"]
        for entry in entries
        if any(not text for field, text in entry.items() if field.startswith("msgstr"))
    ]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry.get("flags", "")]
    assert (untranslated, fuzzy) == ([], [])
    assert len(entries) > 500
    assert catalogue.with_suffix(".mo").exists()


# --- PostgreSQL full text --------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only")
def test_text_search_uses_the_gin_index() -> None:
    RecommendationFactory.create_batch(3)
    filterset = RecommendationFilter({"q": "youth funding"}, queryset=Recommendation.objects.all())

    with connection.cursor() as cursor:
        # Tiny tables make a sequential scan cheaper; forbid it to learn whether the index *can* serve.
        cursor.execute("SET enable_seqscan = off")
        plan = text_search(Recommendation.objects.order_by(), filterset.text).explain()
        cursor.execute("SET enable_seqscan = on")

    assert "recommendation_document_gin" in plan  # sub-items are in the recommendation's document


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch syntax is PostgreSQL's")
def test_text_search_speaks_websearch_syntax() -> None:
    RecommendationFactory.create(headline="Core funding for youth groups")
    RecommendationFactory.create(headline="Youth media projects")
    RecommendationFactory.create(headline="Police dialogue")

    phrase = Client().get("/recommendations/", {"q": '"core funding"'})
    either = Client().get("/recommendations/", {"q": "police or media"})
    without = Client().get("/recommendations/", {"q": "youth -media"})

    assert listed(phrase) == ["Core funding for youth groups"]
    assert sorted(listed(either)) == ["Police dialogue", "Youth media projects"]
    assert listed(without) == ["Core funding for youth groups"]


# --- Front-end assets ----------------------------------------------------------------------------


def test_htmx_is_served_from_our_static_files_and_matches_its_npm_package() -> None:
    vendored = Path(settings.BASE_DIR) / "static" / "js" / "vendor" / "htmx.min.js"
    package = Path(settings.BASE_DIR) / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"

    html = Client().get("/").content.decode()

    assert '<script src="/static/js/vendor/htmx.min.js" defer></script>' in html
    assert "://" not in re.sub(r'href="https?://[^"]*"', "", " ".join(re.findall(r"<(?:script|link)[^>]*>", html)))
    if package.exists():  # make test installs it (npm ci); `make vendor` refreshes the copy
        assert vendored.read_bytes() == package.read_bytes()
    assert vendored.stat().st_size > 10_000
