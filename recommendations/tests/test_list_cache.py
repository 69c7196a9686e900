"""The list's cached reads (issue 17): its size, facets and page rows, on the page and in the API.

The result's size is cached with the facets, and which rows make a page (their ids) is cached
too, under the content version, which every write but an endorsement moves, or under the reads
version, which every write moves, for what endorsements change (the endorser facet, "most
endorsed", an ``endorsed_by`` filter). Nothing may be stale, and nothing may cross audiences.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import client_for
from events.tests.factories import ConveningFactory
from gsx_portal.versions import content_version, reads_version
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Recommendation
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, ThemeFactory
from recommendations.tests.test_endorsements import endorse_url, form_data, organization_of

pytestmark = pytest.mark.django_db


def shown(response: Any) -> tuple[int, list[str]]:
    """The list's size (its paginator's count, cached with the facets) and the headlines shown."""
    return response.context["paginator"].count, [row.headline for row in response.context["recommendations"]]


def api_headlines(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [row["headline"] for row in response.json()["results"]]


def test_an_endorsement_moves_the_reads_version_and_leaves_the_content_version(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    content, reads = content_version(), reads_version()
    member = client_for(cso_member)

    member.post(endorse_url(recommendation), form_data(organization_of(cso_member)))
    after_endorsement = (content_version(), reads_version())
    recommendation.headline = "Edited"
    recommendation.save()

    assert after_endorsement[0] == content and after_endorsement[1] != reads
    assert content_version() != content


def test_an_endorsement_reorders_most_endorsed_and_its_filter_counts_at_once(cso_member: User) -> None:
    theme = ThemeFactory.create(slug="youth")
    first = RecommendationFactory.create(headline="Backed already")
    second = RecommendationFactory.create(headline="Backed now")
    for recommendation in (first, second):
        recommendation.themes.add(theme)
    EndorsementFactory.create(recommendation=first)
    organization = organization_of(cso_member)
    anonymous = Client()
    page_url = "/recommendations/?theme=youth&sort=endorsed"
    filtered_url = f"/recommendations/?endorsed_by={organization.slug}"
    api_url = "/api/v1/recommendations/?theme=youth&sort=endorsed"
    before = (shown(anonymous.get(page_url)), shown(anonymous.get(filtered_url)), api_headlines(anonymous, api_url))

    member = client_for(cso_member)
    member.post(endorse_url(second), form_data(organization))
    EndorsementFactory.create(recommendation=second)  # now two against one
    after = (shown(anonymous.get(page_url)), shown(anonymous.get(filtered_url)), api_headlines(anonymous, api_url))

    assert before == ((2, ["Backed already", "Backed now"]), (0, []), ["Backed already", "Backed now"])
    assert after == ((2, ["Backed now", "Backed already"]), (1, ["Backed now"]), ["Backed now", "Backed already"])


def test_a_new_recommendation_shows_in_the_cached_list_page_and_api_at_once() -> None:
    RecommendationFactory.create(headline="Older one", convening__start_date=dt.date(2020, 5, 1))
    anonymous = Client()
    before = (shown(anonymous.get("/recommendations/")), api_headlines(anonymous, "/api/v1/recommendations/"))

    RecommendationFactory.create(headline="Newer one", convening__start_date=dt.date(2024, 5, 1))
    after = (shown(anonymous.get("/recommendations/")), api_headlines(anonymous, "/api/v1/recommendations/"))

    assert before == ((1, ["Older one"]), ["Older one"])
    assert after == ((2, ["Newer one", "Older one"]), ["Newer one", "Older one"])


@pytest.mark.parametrize("url", ["/recommendations/?theme=cached", "/recommendations/?q=cached&theme=cached"])
def test_cached_counts_and_pages_never_cross_audiences(url: str, cso_member: User, secretariat: User) -> None:
    theme = ThemeFactory.create(slug="cached", name="Cached")
    public = RecommendationFactory.create(headline="Cached public")
    draft = RecommendationFactory.create(headline="Cached draft", convening=ConveningFactory.create(status="draft"))
    for recommendation in (public, draft):
        recommendation.themes.add(theme)
    readers = {"staff": client_for(secretariat), "member": client_for(cso_member), "anonymous": Client()}
    api_url = url.replace("/recommendations/", "/api/v1/recommendations/")

    # The secretariat reads first (its count and page are cached first), then the others, twice.
    seen = [
        {name: (shown(client.get(url)), api_headlines(client, api_url)) for name, client in readers.items()}
        for _ in range(2)
    ]

    public_view = ((1, ["Cached public"]), ["Cached public"])
    staff_view = ((2, ["Cached public", "Cached draft"]), ["Cached public", "Cached draft"])
    assert seen[0] == seen[1] == {"staff": staff_view, "member": public_view, "anonymous": public_view}


def test_a_page_past_the_first_is_cached_apart_and_follows_a_write() -> None:
    for number in range(1, 13):
        RecommendationFactory.create(headline=f"Row {number:02d}", convening__code=f"CSD-2025-P{number:02d}")
    anonymous = Client()
    second = shown(anonymous.get("/recommendations/?per_page=10&page=2"))
    first = shown(anonymous.get("/recommendations/?per_page=10"))

    Recommendation.objects.filter(headline="Row 12").delete()
    second_after = shown(anonymous.get("/recommendations/?per_page=10&page=2"))

    assert (first[0], len(first[1]), second[0], len(second[1])) == (12, 10, 12, 2)
    assert not set(first[1]) & set(second[1])
    assert second_after[0] == 11 and len(second_after[1]) == 1


def test_an_archived_convening_is_neither_listed_nor_counted_in_the_facets() -> None:
    from events.services import convening_archive

    theme = ThemeFactory.create(slug="kept", name="Kept")
    listed = RecommendationFactory.create(headline="Still listed")
    archived = RecommendationFactory.create(headline="Archived away")
    for recommendation in (listed, archived):
        recommendation.themes.add(theme)
    convening_archive(convening=archived.convening)

    response = Client().get("/recommendations/?theme=kept")
    facets = response.context["facets"]

    assert shown(response) == (1, ["Still listed"])
    assert [(o.value, o.count) for o in facets.theme] == [("kept", 1)]
    assert [o.value for o in facets.convening] == [listed.convening.slug]


def test_the_endorser_facet_names_no_organization_that_asked_not_to_be_named() -> None:
    theme = ThemeFactory.create(slug="quiet")
    recommendation = RecommendationFactory.create()
    recommendation.themes.add(theme)
    shy = OrganizationFactory.create(name="Shy Collective")
    EndorsementFactory.create(recommendation=recommendation, organization=shy, is_named=False)
    anonymous = Client()

    page = anonymous.get("/recommendations/?theme=quiet")
    again = anonymous.get("/recommendations/?theme=quiet")  # from the cache

    for response in (page, again):
        assert response.context["facets"].endorsed_by == []
        assert "Shy Collective" not in response.content.decode()


def test_an_endorsement_shows_in_the_home_total_at_once_and_leaves_the_other_figures_cached(
    cso_member: User, django_assert_num_queries: Any
) -> None:
    theme = ThemeFactory.create(slug="youth", name="Youth")
    recommendation = RecommendationFactory.create()
    recommendation.themes.add(theme)
    EndorsementFactory.create(recommendation=recommendation)
    anonymous = Client()
    assert anonymous.get("/").context["figures"].endorsements == 1

    client_for(cso_member).post(endorse_url(recommendation), form_data(organization_of(cso_member)))
    # Only the endorsements' total (one sum) and the most endorsed (never cached: its rows and
    # their themes and addressees) are read again: the convenings, themes and other figures stay
    # cached, as no endorsement changes them.
    with django_assert_num_queries(4):
        response = anonymous.get("/")

    figures = response.context["figures"]
    assert (figures.endorsements, figures.recommendations) == (2, 1)
    assert [(t.slug, t.recommendation_count) for t in response.context["themes"]] == [("youth", 1)]
    assert [r.endorsement_count for r in response.context["most_endorsed"]] == [2]
