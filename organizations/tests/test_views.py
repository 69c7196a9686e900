"""The organization directory and profiles: only what visible_to allows, and fast."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import OUTSIDE_SECRETARIAT, PERSONAS, SEES_PARTICIPATIONS, assert_ignored_notice, client_for
from events.models import Convening
from events.tests.factories import ParticipationFactory
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory
from recommendations.tests.factories import EndorsementFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [organization.name for organization in response.context["organizations"]]


def test_organization_list_filters_by_kind_country_and_theme() -> None:
    youth = ThemeFactory.create(slug="youth")
    target = OrganizationFactory.create(name="Target", kind=Organization.Kind.CSO, country="Kenya")
    target.themes.add(youth)
    OrganizationFactory.create(name="Same place, no theme", kind=Organization.Kind.CSO, country="Kenya")
    OrganizationFactory.create(name="A donor", kind=Organization.Kind.DONOR, country="Kenya").themes.add(youth)

    response = Client().get("/organizations/?kind=cso&country=kenya&theme=youth")

    assert names(response) == ["Target"]


def test_organization_list_counts_each_facet_with_the_other_filters() -> None:
    OrganizationFactory.create(kind=Organization.Kind.CSO, country="Kenya")
    OrganizationFactory.create(kind=Organization.Kind.CSO, country="Tunisia")
    OrganizationFactory.create(kind=Organization.Kind.DONOR, country="Norway")

    response = Client().get("/organizations/?kind=cso")

    facets = response.context["facets"]
    assert {(o.value, o.count, o.selected) for o in facets["kind"]} == {("cso", 2, True), ("donor", 1, False)}
    assert {(o.value, o.count) for o in facets["country"]} == {("Kenya", 1), ("Tunisia", 1)}


@pytest.mark.parametrize("persona", ["anonymous", "donor", "cso_member"], indirect=True)
def test_organization_list_never_lists_unverified_organizations_publicly(persona) -> None:
    OrganizationFactory.create(name="Pending Org", verified_at=None)

    response = client_for(persona).get("/organizations/")

    assert "Pending Org" not in names(response)


@pytest.mark.parametrize(
    ("query", "ignored", "listed"),
    [
        ("kind=bogus", ["Kind"], ["Still listed"]),
        ("kind=bogus&country=Kenya", ["Kind"], ["Still listed"]),
        ("page=999999", [], ["Still listed"]),
        ("theme=%3Cscript%3E", [], []),
        ("q=%22%5C%3A", [], []),
    ],
)
def test_organization_list_survives_bad_input(query: str, ignored: list[str], listed: list[str]) -> None:
    OrganizationFactory.create(name="Still listed", country="Kenya")

    response = Client().get(f"/organizations/?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    assert names(response) == listed
    assert_ignored_notice(response, ignored)


@pytest.mark.parametrize("count", [1, 20])
def test_organization_list_runs_constant_queries(count: int, django_assert_max_num_queries) -> None:
    for _ in range(count):
        OrganizationFactory.create().themes.add(ThemeFactory.create())

    with django_assert_max_num_queries(5):
        response = Client().get("/organizations/")

    assert len(names(response)) == count


def test_organization_profile_shows_public_endorsements_and_participations() -> None:
    organization = OrganizationFactory.create(name="Riverbank Forum")
    EndorsementFactory.create(organization=organization, recommendation__headline="Openly backed")
    EndorsementFactory.create(organization=organization, recommendation__headline="Quietly backed", is_named=False)
    ParticipationFactory.create(organization=organization, convening__title="Open day", visibility="public")

    html = Client().get(organization.get_absolute_url()).content.decode()

    assert "Openly backed" in html
    assert "Quietly backed" not in html
    assert "Open day" in html


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_organization_profile_shows_participations_as_their_visibility_allows(persona, request) -> None:
    organization = OrganizationFactory.create()
    for visibility in ("public", "network", "confidential"):
        ParticipationFactory.create(
            organization=organization, visibility=visibility, convening__title=f"Day {visibility}"
        )
    ParticipationFactory.create(
        organization=organization, visibility="public", convening__title="Day draft", convening__status="draft"
    )
    name = request.node.callspec.params["persona"]

    html = client_for(persona).get(organization.get_absolute_url()).content.decode()

    shown = {v for v in ("public", "network", "confidential") if f"Day {v}" in html}
    assert shown == SEES_PARTICIPATIONS[name]
    assert ("Day draft" in html) is (name == "secretariat")


@pytest.mark.parametrize("persona", OUTSIDE_SECRETARIAT, indirect=True)
def test_organization_profile_hides_endorsements_of_drafts(persona) -> None:
    organization = OrganizationFactory.create()
    EndorsementFactory.create(
        organization=organization,
        recommendation__headline="Draft backed",
        recommendation__convening__status=Convening.Status.DRAFT,
    )

    html = client_for(persona).get(organization.get_absolute_url()).content.decode()

    assert "Draft backed" not in html


@pytest.mark.parametrize("persona", ["anonymous", "donor", "cso_member"], indirect=True)
def test_organization_profile_of_an_unverified_organization_is_404(persona) -> None:
    organization = OrganizationFactory.create(verified_at=None)

    response = client_for(persona).get(organization.get_absolute_url())

    assert response.status_code == 404


def test_organization_profile_of_an_unknown_slug_is_404() -> None:
    response = Client().get("/organizations/no-such-org/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_organization_profile_runs_constant_queries(count: int, django_assert_max_num_queries) -> None:
    organization = OrganizationFactory.create()
    for _ in range(count):
        EndorsementFactory.create(organization=organization)
        ParticipationFactory.create(organization=organization)
        organization.themes.add(ThemeFactory.create())

    with django_assert_max_num_queries(5):
        response = Client().get(organization.get_absolute_url())

    assert len(response.context["endorsed_recommendations"]) == count
