"""Cached reads are never stale and never cross audiences (issue 17, items 1 and 5).

Facets, home and theme figures and page fragments are cached under the reads version
(gsx_portal.versions); anonymous pages answer conditional GETs (gsx_portal.conditional_get).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Participation
from events.tests.factories import ParticipationFactory
from organizations.tests.factories import OrganizationFactory
from publications.tests.conftest import in_process_tasks, publications_root
from publications.tests.helpers import pdf_text
from recommendations.models import Recommendation
from recommendations.tests.factories import (
    AddresseeResponseFactory,
    EndorsementFactory,
    RecommendationFactory,
    ThemeFactory,
)
from recommendations.tests.test_endorsements import endorse_url, form_data, organization_of, withdraw_url

pytestmark = pytest.mark.django_db
# The brief renders in-process on both paths, into a fresh folder (as in publications' tests).
__all__ = ["in_process_tasks", "publications_root"]


def _pdf(client: Client, url: str, capture: Any) -> str:
    with capture(execute=True):  # renders in-process at commit, as without a broker
        client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return pdf_text(b"".join(response.streaming_content))  # type: ignore[attr-defined]  # a FileResponse


def what_anonymous_sees(recommendation: Recommendation, capture: Any) -> dict[str, Any]:
    client = Client()
    listed = client.get("/recommendations/")
    card = listed.content.decode()
    return {
        "list": "1 endorsement<" in card,
        "facet": [(o.label, o.count) for o in listed.context["facets"].endorsed_by],
        "page": "Endorsed by 1 organization" in client.get(recommendation.get_absolute_url()).content.decode(),
        "brief": "1 endorsement" in _pdf(client, f"/convenings/{recommendation.convening.slug}/brief.pdf", capture),
    }


def test_an_endorsement_and_its_withdrawal_show_at_once_to_anonymous_readers(
    cso_member: User, django_capture_on_commit_callbacks: Any
) -> None:
    recommendation = RecommendationFactory.create()
    organization = organization_of(cso_member)
    member = Client()
    member.force_login(cso_member)
    before = what_anonymous_sees(recommendation, django_capture_on_commit_callbacks)  # every cache warm

    member.post(endorse_url(recommendation), form_data(organization))
    endorsed = what_anonymous_sees(recommendation, django_capture_on_commit_callbacks)
    member.post(withdraw_url(recommendation), {"organization": organization.pk})
    withdrawn = what_anonymous_sees(recommendation, django_capture_on_commit_callbacks)

    nothing = {"list": False, "facet": [], "page": False, "brief": False}
    assert before == nothing
    assert endorsed == {"list": True, "facet": [(organization.name, 1)], "page": True, "brief": True}
    assert withdrawn == nothing


def test_anonymous_pages_revalidate_with_an_etag_and_a_change_is_a_new_page(cso_member: User) -> None:
    recommendation = RecommendationFactory.create()
    anonymous = Client()
    first = anonymous.get("/recommendations/")

    again = anonymous.get("/recommendations/", HTTP_IF_NONE_MATCH=first["ETag"])
    member = Client()
    member.force_login(cso_member)
    member.post(endorse_url(recommendation), form_data(organization_of(cso_member)))
    changed = anonymous.get("/recommendations/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, first["Cache-Control"]) == (200, "no-cache, private")
    assert again.status_code == 304
    assert (changed.status_code, "1 endorsement<" in changed.content.decode()) == (200, True)
    assert changed["ETag"] != first["ETag"]


def test_signed_in_pages_get_no_etag_from_the_anonymous_rule(cso_member: User) -> None:
    member = Client()
    member.force_login(cso_member)

    response = member.get("/recommendations/")

    assert (response.status_code, response.has_header("ETag")) == (200, False)


@pytest.mark.parametrize("path", ["convening", "list", "theme"])
def test_no_cached_fragment_crosses_audiences(path: str, cso_member: User, secretariat: User) -> None:
    recommendation = RecommendationFactory.create(headline="Cached headline")
    theme = ThemeFactory.create(name="Fragments", slug="fragments")
    recommendation.themes.add(theme)
    url = {
        "convening": recommendation.convening.get_absolute_url(),
        "list": "/recommendations/",
        "theme": theme.get_absolute_url(),
    }[path]
    staff, member = Client(), Client()
    staff.force_login(secretariat)
    member.force_login(cso_member)
    staff.get(url)  # caches the secretariat's fragments
    # A write that moves no version (an UPDATE sends no signal): only a reader whose fragments were
    # not cached renders it (in the fragment, not the page's contents list), so it tells whose fragment
    # each reader got.
    Recommendation.objects.filter(pk=recommendation.pk).update(headline="Fresh headline")

    seen = {
        name: "Fresh headline</a></h3>" in client.get(url).content.decode()
        for name, client in [("anonymous", Client()), ("member", member), ("staff", staff)]
    }

    assert seen == {"anonymous": True, "member": True, "staff": False}


def test_the_recommendation_page_caches_no_fragment_across_audiences(
    cso_member: User, donor: User, secretariat: User
) -> None:
    """The secretariat reads first, filling every fragment with what only it may see; each other
    reader then gets its own: no unnamed endorser, no network-only owner outside the network, and
    text changed behind the cache's back (an UPDATE sends no signal) shows that it was not the
    secretariat's copy."""
    recommendation = RecommendationFactory.create(body="Cached body.")
    EndorsementFactory.create(recommendation=recommendation, organization__name="Unnamed Org", is_named=False)
    EndorsementFactory.create(recommendation=recommendation, organization__name="Named Org")
    owner = OrganizationFactory.create(name="Network-only Owner")
    ParticipationFactory.create(
        convening=recommendation.convening, organization=owner, visibility=Participation.Visibility.NETWORK
    )
    response = AddresseeResponseFactory.create(recommendation=recommendation, owner=owner)
    recommendation.addressees.add(response.addressee)
    url = recommendation.get_absolute_url()
    staff, network, outside = Client(), Client(), Client()
    staff.force_login(secretariat)
    network.force_login(cso_member)
    outside.force_login(donor)  # signed in, not a network member: the same audience as cso_member
    staff.get(url)
    Recommendation.objects.filter(pk=recommendation.pk).update(body="Fresh body.")

    pages = {
        name: client.get(url).content.decode()
        for name, client in [("network", network), ("outside", outside), ("anonymous", Client()), ("staff", staff)]
    }
    seen = {
        name: ("Fresh body." in html, "Named Org" in html, "Unnamed Org" in html, "Network-only Owner" in html)
        for name, html in pages.items()
    }

    assert seen == {
        "network": (True, True, False, True),
        "outside": (True, True, False, False),
        "anonymous": (True, True, False, False),
        "staff": (False, True, True, True),
    }
