"""The leak crawl of the API: counted-but-not-named endorsers, confidential and network-only
participants and drafts never show in a body, a header or an error.

Built on ``recommendations/tests/test_leaks.py`` (its data, secrets and controls). As anonymous,
donor, CSO member, a member of an unverified organization and a token holder, it requests every
list endpoint (plain, with the secret organizations' names and slugs as filters, walking every
``next`` page), every object by its reference, code or slug, the drafts' references, and every
API address found in those answers. A response that names a secret must read the same as the
answer about an organization that does not exist, or as the answer once the secret endorsements
and participations are removed (the directory lists every verified organization).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from events.models import Convening
from events.tests.factories import ConveningFactory
from organizations.models import Membership, Organization
from organizations.services import api_token_create
from recommendations.tests.factories import RecommendationFactory
from recommendations.tests.test_leaks import (
    SEARCH_PARAMETERS,
    Data,
    as_control,
    data,
    endorse_secretly,
    forget_hidden,
    found,
    from_control,
    secrets_for,
)

pytestmark = pytest.mark.django_db
__all__ = ["data"]  # the fixture, shared with the page crawl

LISTS = [
    "/api/v1/",
    "/api/v1/recommendations/",
    "/api/v1/convenings/",
    "/api/v1/organizations/",
    "/api/v1/themes/",
    "/api/v1/addressees/",
    "/api/v1/letters/",
    "/api/v1/endorsements/",
]
EXTRA_FILTERS = [("organization", "zephyr-quiet-collective"), ("sort", "endorsed"), ("sort", "reference")]
DRAFT_CODE = "DRAFT-LEAK-2026"
DRAFT_HEADLINE = "draft-headline-marker-5521"
MAX_REQUESTS = 600
# Same body, so the same ETag; Last-Modified says when this reader first saw it.
VOLATILE_HEADERS = {"Last-Modified", "Date"}
PERSONAS = ["anonymous", "donor", "cso", "unverified", "token"]


@dataclass
class Answer:
    status: int
    body: str
    headers: str

    @property
    def text(self) -> str:
        return self.body + "\n" + self.headers


def answer(client: Client, url: str, headers: dict[str, str]) -> Answer:
    response = client.get(url, headers=headers)
    shown = "\n".join(f"{k}: {v}" for k, v in response.items() if k not in VOLATILE_HEADERS)
    return Answer(response.status_code, response.content.decode("utf-8", errors="replace"), shown)


def api_links(body: str) -> Iterator[str]:
    for match in re.finditer(r'"(https?://testserver)?(/api/v1/[^"\s]*)"', body):
        yield match.group(2)


def seeds(data: Data) -> list[str]:
    urls = list(LISTS)
    for url in LISTS[1:]:
        urls += [f"{url}?{urlencode({name: value})}" for name, value in [*SEARCH_PARAMETERS, *EXTRA_FILTERS]]
    urls += [f"/api/v1/recommendations/{r.reference}/" for r in data.recommendations]
    urls += [f"/api/v1/recommendations/?{urlencode({'reference': r.reference})}" for r in data.recommendations]
    urls += [f"/api/v1/convenings/{c.code}/" for c in data.convenings]
    urls += [f"/api/v1/organizations/{o.slug}/" for o in Organization.objects.all()]
    urls += [f"/api/v1/letters/{letter.slug}/" for letter in data.letters]
    urls += [
        f"/api/v1/recommendations/{DRAFT_CODE}/R1/",
        f"/api/v1/convenings/{DRAFT_CODE}/",
        f"/api/v1/recommendations/?{urlencode({'q': DRAFT_HEADLINE})}",
        "/api/v1/recommendations/?page_size=1",
    ]
    return urls


def crawl(client: Client, data: Data, headers: dict[str, str]) -> dict[str, Answer]:
    queue = list(dict.fromkeys(seeds(data)))
    seen = set(queue)
    pages: dict[str, Answer] = {}
    while queue and len(pages) < MAX_REQUESTS:
        url = queue.pop(0)
        page = pages[url] = answer(client, url, headers)
        if page.status != 200:
            continue
        for link in api_links(page.body):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def reader(persona: str, data: Data) -> tuple[Client, dict[str, str]]:
    client = Client()
    if persona in ("donor", "cso"):
        client.force_login(User.objects.get(username=persona))
    elif persona == "unverified":
        user = User.objects.create_user(username="unverified-member")
        Membership.objects.create(
            user=user,
            organization=Organization.objects.get(slug="new-horizons-association"),
            state=Membership.State.APPROVED,
        )
        client.force_login(user)
    elif persona == "token":
        _token, key = api_token_create(
            organization=Organization.objects.get(slug="riverbank-youth-forum"),
            name="crawl",
            by=User.objects.get(username="cso"),
        )
        return client, {"Authorization": f"Bearer {key}"}
    return client, {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_leaks_no_hidden_organization_and_no_draft(data: Data, persona: str) -> None:
    endorse_secretly(data)
    draft = ConveningFactory.create(code=DRAFT_CODE, status=Convening.Status.DRAFT)
    RecommendationFactory.create(convening=draft, number=1, headline=DRAFT_HEADLINE)
    client, headers = reader(persona, data)
    # The token reads as a member of a verified CSO, as the CSO member does.
    secrets = (*secrets_for("cso" if persona in ("cso", "token") else "anonymous"), DRAFT_CODE, DRAFT_HEADLINE)

    pages = crawl(client, data, headers)
    naming = {url: page for url, page in pages.items() if found(page.text, secrets)}
    controls = {url: answer(client, as_control(url), headers) for url in naming if as_control(url) != url}
    with transaction.atomic():
        forget_hidden(data)
        without = {url: answer(client, url, headers) for url in naming}
        transaction.set_rollback(True)

    def explained(url: str, page: Answer) -> bool:
        if found(page.headers, secrets):
            return False
        control = controls.get(url)
        if control is not None and from_control(control.body) == page.body:
            return True
        return without[url].body == page.body

    leaks = [
        f"{url} ({page.status}): {found(page.text, secrets)}"
        for url, page in naming.items()
        if not explained(url, page)
    ]
    assert leaks == []
    assert [url for url, page in pages.items() if page.status >= 500] == []
    assert 60 < len(pages) < MAX_REQUESTS
    # Counted, just not named: the first recommendation has the named and the unnamed endorsement.
    first = json.loads(pages[f"/api/v1/recommendations/{data.recommendations[0].reference}/"].body)
    assert (first["endorsement_count"], first["unnamed_endorsement_count"]) == (2, 1)
    assert pages[f"/api/v1/recommendations/{DRAFT_CODE}/R1/"].status == 404


def test_the_api_crawl_follows_next_pages(data: Data) -> None:
    pages = crawl(Client(), data, {})

    followed = [url for url in pages if "cursor=" in url]

    assert followed
    assert all(pages[url].status == 200 for url in followed)


def test_the_api_crawl_reaches_every_api_route(data: Data) -> None:
    from django.urls import resolve

    pages = crawl(Client(), data, {})
    reached = {resolve(urlsplit(url).path).url_name for url in pages}

    expected = {"root", "recommendations", "recommendation", "convenings", "convening", "organizations"}
    expected |= {"organization", "themes", "addressees", "letters", "letter", "endorsements"}
    assert expected <= reached
