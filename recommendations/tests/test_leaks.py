"""Counted but not named means it, and a hidden participant stays hidden, on every page.

The test loads the demo content, adds a verified organization that endorses and signs *without
being named* (and a withdrawn unnamed endorsement, a comment and a signatory name), and two that
took part in a published convening confidentially and network-only and own its next steps and
addressee responses there (the places that name an organization beside a convening or a
recommendation). Then, as anonymous, donor, CSO member and a member of an unverified organization,
it requests every page it can reach:

- every named URL pattern of the project (admin aside), its arguments filled from the data by
  the rules in ``CANDIDATES`` (a new pattern whose arguments no rule fills makes
  ``test_leak_crawl_reaches_every_url_pattern`` fail and name it: add a rule);
- list pages again with the organization's name as search text and its slug as filter values;
- every same-site link, ``hx-get`` and ``src`` found on those pages (exports, PDFs, facets ...).

Each response (HTML, CSV, JSON, XLSX, PDF text) must not contain the unnamed organization's
name, slug, signatory or comment, nor a hidden participant's name, slug or address (the
network-only one is shown to the CSO member, a network member). Pages that name such an
organization for reasons that have nothing to do with endorsing or taking part (the directory
lists every verified organization; its profile) are rendered again with its unnamed
endorsements, participations and ownerships removed, and must be identical: being counted or
taking part leaves no trace on them either (a count, a badge, a link). Reminder e-mails and
digests are checked the same way, per recipient.

To re-run it after adding pages: ``pytest recommendations/tests/test_leaks.py``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from consultations.models import Consultation, Input
from events.models import Convening, NextStep, Participation
from organizations.models import Membership, Organization
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    RecommendationLink,
    RecurrenceSuggestion,
    StatusUpdate,
    Theme,
)

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zephyr Quiet Collective"
SECRET_SLUG = "zephyr-quiet-collective"
SECRET_SIGNATORY = "Zoltana Quillfeather"
SECRET_COMMENT = "zq-comment-marker-7391"
# An input the organization left on a circulating draft and the secretariat did not share.
SECRET_INPUT = "zq-unshared-input-marker-2208"
SECRETS = (SECRET_NAME, SECRET_SLUG, SECRET_SIGNATORY, SECRET_COMMENT, SECRET_INPUT)
# Organizations that took part in a published convening under a visibility the reader may lack,
# and own one of its next steps and an addressee response there.
CONFIDENTIAL_NAME = "Yarrow Hidden Circle"
CONFIDENTIAL_SLUG = "yarrow-hidden-circle"
CONFIDENTIAL_SECRETS = (CONFIDENTIAL_NAME, CONFIDENTIAL_SLUG, "yarrow-office@example.org", "yarrow-admin@example.org")
NETWORK_NAME = "Quince Network Ring"
NETWORK_SLUG = "quince-network-ring"
NETWORK_SECRETS = (NETWORK_NAME, NETWORK_SLUG, "quince-office@example.org")
# A draft convening: nothing of it may show outside the secretariat, its references answer as
# references to nothing do (recommendations/tests/test_references.py compares the two).
DRAFT_CODE = "WDM-2099-DRF"
DRAFT_REFERENCE = f"{DRAFT_CODE}/R1"
DRAFT_SECRETS = ("Wistful Draft Gathering", "wistful-draft-marker-5521", "wistful-draft-gathering")
# Control names: one letter differs, so the same page about an organization that does not exist.
CONTROL_WORDS = {"zephyr": "xephyr", "yarrow": "xarrow", "quince": "xuince"}

PERSONAS = ("anonymous", "donor", "cso", "unverified")
SKIPPED_NAMESPACES = {"admin"}  # staff only; none of these personas is staff
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/_nested_admin/", "/i18n/")
# The feeds, exports and API offer many URLs per list (each with its filter variants).
MAX_URLS_PER_PERSONA = 1500
MAX_QUERY_VARIANTS_PER_PATH = 6
# List pages are requested again with these parameters naming the organization (name for text
# search, slug for filters): a filter that counts unnamed endorsements would show in the results.
SEARCH_PARAMETERS = [
    ("q", SECRET_NAME),
    ("endorsed_by", SECRET_SLUG),
    ("organization", SECRET_SLUG),
    ("q", CONFIDENTIAL_NAME),
    ("organization", CONFIDENTIAL_SLUG),
    ("owner", CONFIDENTIAL_SLUG),
    ("q", NETWORK_NAME),
    ("q", f"{DRAFT_REFERENCE}.a"),
]


def secrets_for(persona: str) -> tuple[str, ...]:
    """What this persona must never read: the network-only participant is a network member's to see."""
    network = () if persona == "cso" else NETWORK_SECRETS
    return SECRETS + CONFIDENTIAL_SECRETS + network + DRAFT_SECRETS


@dataclass
class Data:
    secret: Organization
    convenings: list[Convening]
    recommendations: list[Recommendation]
    letters: list[Letter]
    themes: list[Theme]
    addressees: list[Addressee]
    organizations: list[Organization]
    memberships: list[Membership]
    status_updates: list[StatusUpdate]
    next_steps: list[NextStep]
    hidden: list[Organization] = field(default_factory=list)


def _slugs(objects: list[Any]) -> list[str]:
    return [o.slug for o in objects]


# (preceding path segment or "*", parameter name) → candidate values. "*" matches any segment.
CANDIDATES: dict[tuple[str, str], Callable[[Data], list[Any]]] = {
    ("convenings", "slug"): lambda d: _slugs(d.convenings),
    ("letters", "slug"): lambda d: _slugs(d.letters),
    ("themes", "slug"): lambda d: _slugs(d.themes),
    ("addressees", "slug"): lambda d: _slugs(d.addressees),
    ("organizations", "slug"): lambda d: _slugs(d.organizations),
    ("my-organization", "slug"): lambda d: _slugs(d.organizations),
    ("r", "number"): lambda d: sorted({r.number for r in d.recommendations}),
    # Citable references, in the forms people paste: a draft's among them.
    ("r", "reference"): lambda d: (
        [c.code for c in d.convenings]
        + [r.reference for r in d.recommendations]
        + [f"{r.convening.code.lower()} {r.number}a" for r in d.recommendations[:3]]
        + [DRAFT_REFERENCE, f"{DRAFT_REFERENCE}.a", "NO-2000-SUCH/R1"]
    ),
    ("recommendations", "pk"): lambda d: [r.pk for r in d.recommendations],
    # Consultations and their inputs: the secretariat's routes answer 404 to these personas.
    ("consultations", "pk"): lambda d: [c.pk for c in Consultation.objects.order_by("pk")],
    ("inputs", "pk"): lambda d: list(Input.objects.order_by("pk").values_list("pk", flat=True)) or [1],
    # The API's lookups: a recommendation by its reference, a convening by its code.
    ("recommendations", "reference"): lambda d: [r.reference for r in d.recommendations],
    ("convenings", "key"): lambda d: [c.code for c in d.convenings],
    ("evidence", "pk"): lambda d: [u.pk for u in d.status_updates] or [1],
    ("next-steps", "pk"): lambda d: [s.pk for s in d.next_steps] or [1],
    ("memberships", "pk"): lambda d: [m.pk for m in d.memberships],
    # One guess is enough: the dashboards link to every dataset they offer, and the crawl follows.
    ("data", "dataset"): lambda d: ["endorsements"],
    # The convening editor's state changes (secretariat only: a 404 or the log-in for these personas).
    ("state", "action"): lambda d: ["publish", "unpublish", "archive", "unarchive"],
    # An upload being read belongs to whoever uploaded it (importing.DocumentRead), and this test
    # may not import the importer: a UUID nobody owns is asked for, which must be a 404 to all.
    ("read", "read"): lambda d: ["8d7f6c1e-0000-4000-8000-000000000000"],
    ("*", "uidb64"): lambda d: ["MQ"],
    # The open-data version the crawl test builds first (tonight's), and one that does not exist.
    ("*", "version"): lambda d: [timezone.now().astimezone(dt.UTC).date().isoformat(), "1999-01-01"],
    ("*", "token"): lambda d: ["invalid-token"],
    ("*", "decision"): lambda d: ["confirm", "dismiss"],
    ("*", "slug"): lambda d: _slugs(d.convenings) + _slugs(d.letters) + _slugs(d.themes) + _slugs(d.organizations),
    ("*", "pk"): lambda d: [1],
}


@pytest.fixture
def data() -> Data:
    call_command("load_demo", stdout=io.StringIO())  # the demo with its recorded statuses
    secret = Organization.objects.create(
        name=SECRET_NAME, slug=SECRET_SLUG, kind=Organization.Kind.CSO, country="Nowhere", verified_at=timezone.now()
    )
    signer = User.objects.create_user(username="quiet@example.org", first_name="Zoltana", last_name="Quillfeather")
    Membership.objects.create(user=signer, organization=secret, state=Membership.State.APPROVED)
    recommendations = list(Recommendation.objects.select_related("convening").order_by("number"))
    letter = Letter.objects.create(
        title="Letter on civic space",
        slug="letter-on-civic-space",
        addressee=Addressee.objects.first(),
        body="We, the undersigned, ask for a review.",
        state=Letter.State.OPEN_FOR_SIGNATURE,
    )
    letter.recommendations.set(recommendations[:3])
    named = Organization.objects.get(slug="riverbank-youth-forum")
    for recommendation in recommendations[:3]:
        Endorsement.objects.create(
            recommendation=recommendation, organization=named, signatory_name="Open Person", comment="Open comment."
        )
    Endorsement.objects.create(letter=letter, organization=named, signatory_name="Open Person")
    hidden = add_hidden_participants(recommendations[0].convening, owner_too=named)
    # A member of an organization the secretariat has not verified: signed in, but no network member.
    unverified = Organization.objects.filter(verified_at__isnull=True).first()
    assert unverified is not None
    Membership.objects.create(
        user=User.objects.create_user(username="unverified"), organization=unverified, state=Membership.State.APPROVED
    )
    add_draft_convening()
    # A draft letter circulating for inputs, seen by the network's members (its consultation).
    draft_letter = Letter.objects.create(
        title="Draft letter on core funding",
        slug="draft-letter-on-core-funding",
        body="We ask donors to fund the core work of local organizations.",
        state=Letter.State.OPEN_FOR_INPUTS,
    )
    Consultation.objects.create(kind=Consultation.Kind.LETTER, letter=draft_letter, title=draft_letter.title)
    # Alerts on saved searches, listed on "What you follow" for the crawl to read.
    from tracking.models import SavedSearch

    for username in ("donor", "cso", "unverified"):
        user = User.objects.get(username=username)
        SavedSearch.objects.create(user=user, query="endorsed_by=riverbank-youth-forum")
        SavedSearch.objects.create(user=user, query=f"theme={Theme.objects.order_by('pk')[0].slug}")
    return Data(
        secret=secret,
        convenings=list(Convening.objects.all()),
        recommendations=recommendations,
        letters=[letter, draft_letter],
        themes=list(Theme.objects.all()),
        addressees=list(Addressee.objects.all()),
        organizations=list(Organization.objects.all()),
        memberships=list(Membership.objects.all()),
        status_updates=list(StatusUpdate.objects.all()),
        next_steps=list(NextStep.objects.all()),
        hidden=hidden,
    )


def add_hidden_participants(convening: Convening, *, owner_too: Organization) -> list[Organization]:
    """A confidential and a network-only participant of a published convening, owning with a public
    co-owner an overdue next step and, each, an overdue addressee response."""
    today = timezone.localdate()
    confidential = Organization.objects.create(
        name=CONFIDENTIAL_NAME,
        slug=CONFIDENTIAL_SLUG,
        kind=Organization.Kind.CSO,
        contact_email="yarrow-office@example.org",
        verified_at=timezone.now(),
    )
    admin = User.objects.create_user(username="yarrow-admin@example.org", email="yarrow-admin@example.org")
    Membership.objects.create(
        user=admin, organization=confidential, role=Membership.Role.ADMIN, state=Membership.State.APPROVED
    )
    network = Organization.objects.create(
        name=NETWORK_NAME,
        slug=NETWORK_SLUG,
        kind=Organization.Kind.CSO,
        contact_email="quince-office@example.org",
        verified_at=timezone.now(),
    )
    Participation.objects.create(
        convening=convening, organization=confidential, visibility=Participation.Visibility.CONFIDENTIAL
    )
    Participation.objects.create(convening=convening, organization=network, visibility=Participation.Visibility.NETWORK)
    step = NextStep.objects.create(
        convening=convening, order=99, text="Brief the host on the follow-up.", due_date=today - dt.timedelta(days=3)
    )
    step.owners.set([confidential, network, owner_too])
    recommendations = list(convening.recommendations.order_by("number")[:2])
    for recommendation, owner in zip(recommendations, (confidential, network), strict=True):
        addressee = recommendation.addressees.order_by("pk").first() or Addressee.objects.order_by("pk").first()
        assert addressee is not None
        AddresseeResponse.objects.update_or_create(
            recommendation=recommendation,
            addressee=addressee,
            defaults={"owner": owner, "due_date": today - dt.timedelta(days=2)},
        )
    return [confidential, network]


def add_draft_convening() -> None:
    """A draft with one recommendation and a sub-item, under the marker names of DRAFT_SECRETS."""
    draft = Convening.objects.create(
        title="Wistful Draft Gathering",
        slug="wistful-draft-gathering",
        code=DRAFT_CODE,
        start_date=dt.date(2099, 1, 1),
        country="Austria",
        status=Convening.Status.DRAFT,
    )
    recommendation = Recommendation.objects.create(
        convening=draft, number=1, headline="Wistful Draft Gathering headline", body="wistful-draft-marker-5521"
    )
    recommendation.sub_items.create(letter="a", text="Wistful Draft Gathering sub-item")
    # Links and suggestions between a published recommendation and the draft: never shown, never
    # counted outside the secretariat (the page's "Asked N times", links, API fields).
    published = Recommendation.objects.filter(convening__status=Convening.Status.PUBLISHED).order_by("pk")
    first, second = published[0], published[1]
    RecommendationLink.objects.create(from_recommendation=recommendation, to_recommendation=first, kind="restates")
    RecommendationLink.objects.create(from_recommendation=second, to_recommendation=first, kind="restates")
    RecurrenceSuggestion.objects.create(recommendation=recommendation, candidate=second, score=0.5, shared=["x"])


def endorse_secretly(data: Data) -> None:
    """The unnamed organization's endorsements, signature and a withdrawn endorsement."""
    signer = User.objects.get(username="quiet@example.org")
    fields = {
        "organization": data.secret,
        "endorsed_by": signer,
        "signatory_name": SECRET_SIGNATORY,
        "signatory_title": "Director",
        "comment": SECRET_COMMENT,
        "is_named": False,
    }
    for recommendation in data.recommendations[:2]:
        Endorsement.objects.create(recommendation=recommendation, **fields)
    Endorsement.objects.create(recommendation=data.recommendations[2], withdrawn_at=timezone.now(), **fields)
    Endorsement.objects.create(letter=data.letters[0], **fields)
    # Its inputs on the circulating draft: one unshared (its text is a secret), one shared with
    # the network anonymised (its text shows, the organization must not).
    consultation = Consultation.objects.get(letter=data.letters[1])
    common = {"consultation": consultation, "organization": data.secret, "author": signer, "part": "letter"}
    Input.objects.create(text=SECRET_INPUT, quote="core work", **common)
    Input.objects.create(
        text="An anonymised input the network may read.",
        moderation=Input.Moderation.APPROVED,
        sharing=Input.Sharing.ANONYMOUS,
        **common,
    )


# --- Crawling -------------------------------------------------------------------------------


def url_patterns() -> Iterator[tuple[str, RoutePattern | Any, str]]:
    """(view name, pattern, full route) of every named pattern outside the skipped namespaces."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, Any, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace and pattern.namespace != namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                if inner in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, pattern.pattern, prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "", None)


def candidates_for(route: str, data: Data) -> list[str] | None:
    """Every URL of a route with its arguments filled from the data; None when a rule is missing."""
    parts = re.split(r"(<[^>]+>)", route)
    urls = [""]
    previous = ""
    for part in parts:
        if not part.startswith("<"):
            urls = [u + part for u in urls]
            segments = [s for s in part.split("/") if s]
            previous = segments[-1] if segments else previous
            continue
        name = part.strip("<>").split(":")[-1]
        rule = CANDIDATES.get((previous, name)) or CANDIDATES.get(("*", name))
        if rule is None:
            return None
        values = [quote(str(v)) for v in rule(data)]
        urls = [u + v for u in urls for v in values]
    return ["/" + u for u in urls if "^" not in u and "(?P" not in u]


@dataclass
class Fetched:
    status: int
    content_type: str
    text: str
    view_name: str


@dataclass
class Crawl:
    pages: dict[str, Fetched] = field(default_factory=dict)


def body_text(response: HttpResponseBase) -> str:
    content_type = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]  # a streamed file response
    # Not response.close(): it sends request_finished, whose handler closes the test's database
    # connection on PostgreSQL (CONN_MAX_AGE). Only the streamed file needs closing.
    handle = getattr(response, "file_to_stream", None)
    if handle is not None:
        handle.close()
    if "pdf" in content_type:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        return "\n".join(page.extract_text() or "" for page in reader.pages) + str(reader.metadata or "")
    if "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return raw.decode("utf-8", errors="replace")


def links_in(text: str) -> Iterator[str]:
    for match in re.finditer(r'(?:href|hx-get|src|action)="([^"]+)"', text):
        link = html.unescape(match.group(1))
        parts = urlsplit(link)
        if parts.scheme and parts.netloc not in ("testserver", ""):
            continue
        if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def fetch(client: Client, url: str, capture: Any) -> Fetched:
    # Run on-commit work (PDF renders are queued after commit) so a "preparing" page turns into
    # the file on the next request.
    for _ in range(3):
        with capture(execute=True):
            response = client.get(url)
        if not response.has_header("Retry-After"):
            break
    try:
        view_name = resolve(urlsplit(url).path).view_name
    except Resolver404:
        view_name = ""
    return Fetched(response.status_code, response.get("Content-Type", ""), body_text(response), view_name)


def crawl(client: Client, data: Data, capture: Any) -> Crawl:
    seeds: list[str] = []
    for _name, _pattern, route in url_patterns():
        urls = candidates_for(route, data) or []
        seeds.extend(urls)
        if urls and "<" not in route:
            seeds.extend(f"{urls[0]}?{urlencode({name: value})}" for name, value in SEARCH_PARAMETERS)
    result = Crawl()
    queue = list(dict.fromkeys(seeds))
    variants: dict[str, int] = defaultdict(int)
    seen = set(queue)
    while queue and len(result.pages) < MAX_URLS_PER_PERSONA:
        url = queue.pop(0)
        page = fetch(client, url, capture)
        result.pages[url] = page
        if page.status != 200 or "html" not in page.content_type:
            continue
        for link in links_in(page.text):
            if link in seen:
                continue
            path = urlsplit(link).path
            if "?" in link:
                if variants[path] >= MAX_QUERY_VARIANTS_PER_PATH:
                    continue
                variants[path] += 1
            seen.add(link)
            queue.append(link)
    return result


def normalised(text: str) -> str:
    # CSRF tokens are masked anew for every response; exports say when they were made.
    text = re.sub(r"[A-Za-z0-9]{64}", "<csrf>", text)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<made at>", text)


def found(text: str, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    lowered = text.lower()
    return [secret for secret in secrets if secret.lower() in lowered]


def client_for(persona: str) -> Client:
    client = Client(raise_request_exception=True)
    if persona != "anonymous":
        client.force_login(User.objects.get(username=persona))
    return client


def as_control(text: str) -> str:
    """The same text about an organization that does not exist (one letter differs)."""
    for word, control in CONTROL_WORDS.items():
        text = text.replace(word, control).replace(word.title(), control.title())
    return text


def from_control(text: str) -> str:
    for word, control in CONTROL_WORDS.items():
        text = text.replace(control, word).replace(control.title(), word.title())
    return text


def forget_hidden(data: Data) -> None:
    """Remove every trace the test put in: unnamed endorsements, hidden participations, ownerships."""
    Endorsement.objects.filter(organization=data.secret).delete()
    Input.objects.filter(organization=data.secret).delete()
    Participation.objects.filter(organization__in=data.hidden).delete()
    for step in NextStep.objects.filter(owners__in=data.hidden).distinct():
        step.owners.remove(*data.hidden)
    AddresseeResponse.objects.filter(owner__in=data.hidden).update(owner=None)


@pytest.fixture
def open_data_built(settings: Any, tmp_path: Any) -> Callable[[], Any]:
    """Builds tonight's open-data ZIP (into a fresh PUBLICATIONS_ROOT) once the secrets are in."""
    from publications.services import data_release_build

    settings.PUBLICATIONS_ROOT = tmp_path / "publications"
    return data_release_build


@pytest.mark.parametrize("persona", PERSONAS)
def test_counted_but_not_named_organization_leaves_no_trace(
    data: Data, persona: str, django_capture_on_commit_callbacks: Any, open_data_built: Callable[[], Any]
) -> None:
    endorse_secretly(data)
    release = open_data_built()
    client = client_for(persona)
    secrets = secrets_for(persona)

    after = crawl(client, data, django_capture_on_commit_callbacks)
    naming = {url: page for url, page in after.pages.items() if found(page.text, secrets)}
    # A page may name the organization for reasons of its own: it echoes a search for it, or
    # lists every verified organization. Such a page must read the same as the page about an
    # organization that does not exist, or as the page without the unnamed endorsements.
    controls = {
        url: fetch(client, as_control(url), django_capture_on_commit_callbacks)
        for url in naming
        if as_control(url) != url
    }
    with transaction.atomic():
        forget_hidden(data)
        without = {url: fetch(client, url, django_capture_on_commit_callbacks) for url in naming}
        transaction.set_rollback(True)

    def explained(url: str, page: Fetched) -> bool:
        control = controls.get(url)
        if control is not None and normalised(from_control(control.text)) == normalised(page.text):
            return True
        return bool(found(without[url].text, secrets)) and normalised(without[url].text) == normalised(page.text)

    leaks = [
        f"{url} ({page.status}, {page.content_type}): {found(page.text, secrets)}"
        for url, page in naming.items()
        if not explained(url, page)
    ]
    assert leaks == []
    assert 500 not in [page.status for page in after.pages.values()]
    assert 40 < len(after.pages) < MAX_URLS_PER_PERSONA, "the crawl was cut short, or reached too little"
    # The pages do count the organization: counted, just not named.
    detail = after.pages[data.recommendations[0].get_absolute_url()].text
    assert "Endorsed by 2 organizations, 1 of them not named" in detail
    # The next step is there, with the owners this reader may see named.
    convening = after.pages[data.recommendations[0].convening.get_absolute_url()].text
    assert "Brief the host on the follow-up." in convening
    assert [NETWORK_NAME in convening, "Riverbank Youth Forum" in convening] == [persona == "cso", True]
    # The crawl read the open-data ZIP, as it reads every export and feed.
    assert after.pages[f"/data/{release.filename}"].content_type == "application/zip"


def test_open_data_zip_reads_the_same_as_without_the_hidden_organizations(
    data: Data, open_data_built: Callable[[], Any]
) -> None:
    """The ZIP is one file for everyone. Only its directory of verified organizations may name a
    hidden one, and it must read the same as without their unnamed endorsements and hidden
    participations; every other file names none of them (their endorsements are only counted)."""
    from publications.open_data import build_zip

    endorse_secretly(data)
    now = timezone.now()
    with_secrets = zip_files(build_zip(version="v", made_at=now).content)
    with transaction.atomic():
        forget_hidden(data)
        without = zip_files(build_zip(version="v", made_at=now).content)
        transaction.set_rollback(True)

    elsewhere = {name: found(text, secrets_for("anonymous")) for name, text in with_secrets.items()}
    assert {name: names for name, names in elsewhere.items() if names} == {
        "organizations.csv": [
            SECRET_NAME,
            SECRET_SLUG,
            CONFIDENTIAL_NAME,
            CONFIDENTIAL_SLUG,
            NETWORK_NAME,
            NETWORK_SLUG,
        ]
    }
    assert with_secrets["organizations.csv"] == without["organizations.csv"]


def zip_files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_leak_crawl_reaches_every_url_pattern(data: Data, django_capture_on_commit_callbacks: Any) -> None:
    endorse_secretly(data)
    unfillable = [name for name, _pattern, route in url_patterns() if candidates_for(route, data) is None]
    pages = crawl(client_for("cso"), data, django_capture_on_commit_callbacks).pages
    reached = {page.view_name for page in pages.values()}

    unreached = sorted(name for name, _pattern, route in url_patterns() if name not in reached and "^" not in route)

    assert unfillable == [], "add a rule to CANDIDATES for these patterns' arguments"
    assert unreached == []


def test_leak_helpers_find_the_secrets_in_any_case() -> None:
    assert found(f"<p>{SECRET_NAME.upper()}</p>") == [SECRET_NAME]
    assert found("nothing here") == []
    assert list(links_in('<a href="/x/?a=1&amp;b=2">x</a><a href="https://elsewhere.example/">y</a>')) == [
        "/x/?a=1&b=2"
    ]


# --- E-mails: reminders and digests, per recipient ------------------------------------------


def mail_text(message: Any) -> str:
    parts = [message.subject, message.body, " ".join(message.to + message.cc + message.bcc)]
    parts += [str(content) for content, _mimetype in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def test_reminder_emails_name_no_hidden_co_owner_and_disclose_no_other_address(data: Data) -> None:
    from django.core import mail

    from tracking.services import next_step_reminders_send

    step = NextStep.objects.get(text="Brief the host on the follow-up.")
    donor_organization = Organization.objects.get(memberships__user__username="donor")
    step.owners.add(donor_organization)
    confidential, network = data.hidden

    next_step_reminders_send(today=timezone.localdate())

    messages = [m for m in mail.outbox if "Brief the host on the follow-up." in m.body]
    leaks = []
    for message in messages:
        own = {o.pk for o in (confidential, network) if o.contact_email in message.to}
        forbidden = SECRETS + (() if confidential.pk in own else CONFIDENTIAL_SECRETS)
        forbidden += () if network.pk in own else NETWORK_SECRETS
        leaks += [(message.to, found(mail_text(message), forbidden))]
    assert [found_ for _to, found_ in leaks if found_] == []
    # One message per owner organization, each to its own addresses only.
    assert sorted(m.to for m in messages) == sorted(
        [
            ["cso@riverbank.example"],
            ["donor@northlight.example"],
            ["quince-office@example.org"],
            ["yarrow-admin@example.org", "yarrow-office@example.org"],
        ]
    )
    # Public co-owners are still named to each other.
    riverbank = next(m for m in messages if m.to == ["donor@northlight.example"])
    assert "Riverbank Youth Forum" in riverbank.body


@pytest.mark.parametrize("persona", ["donor", "cso"])
def test_digest_names_no_hidden_owner(data: Data, persona: str) -> None:
    from django.core import mail

    from tracking.models import Follow
    from tracking.services import digest_send

    user = User.objects.get(username=persona)
    convening = data.recommendations[0].convening
    Follow.objects.create(user=user, convening=convening)
    for recommendation in data.recommendations[:2]:
        Follow.objects.create(user=user, recommendation=recommendation)

    sent = digest_send(user_id=user.pk, now=timezone.now() + dt.timedelta(minutes=1))

    assert sent is True
    text = mail_text(mail.outbox[-1])
    assert "Brief the host on the follow-up." in text
    assert found(text, secrets_for(persona)) == []


@pytest.mark.parametrize("persona", ["donor", "cso"])
def test_digest_saved_searches_name_no_unnamed_endorser_hidden_participant_or_draft(data: Data, persona: str) -> None:
    from django.core import mail

    from tracking.models import SavedSearch
    from tracking.services import digest_send

    endorse_secretly(data)
    user = User.objects.get(username=persona)
    SavedSearch.objects.filter(user=user).delete()
    first = data.recommendations[0]
    word = first.headline.split()[0]
    queries = [
        "endorsed_by=riverbank-youth-forum",
        f"q={word}",
        f"convening={first.convening.slug}",
        # Saved, say, while the organization still endorsed by name, or typed by hand: matches nothing.
        f"endorsed_by={SECRET_SLUG}",
        f"q={DRAFT_REFERENCE}",
    ]
    for query in queries:
        SavedSearch.objects.create(user=user, query=query)

    sent = digest_send(user_id=user.pk, now=timezone.now() + dt.timedelta(minutes=1))

    assert sent is True
    text = mail_text(mail.outbox[-1])
    assert first.headline in text
    assert "Endorsed by: Riverbank Youth Forum" in text
    assert found(text, secrets_for(persona)) == []


def test_input_resolution_emails_reach_only_their_author_and_quote_no_other_input(
    data: Data, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from consultations.services import input_resolve

    endorse_secretly(data)
    User.objects.filter(username="quiet@example.org").update(email="quiet@example.org")
    cso = User.objects.get(username="cso")
    riverbank = Organization.objects.get(slug="riverbank-youth-forum")
    consultation = Consultation.objects.get(letter=data.letters[1])
    Input.objects.create(consultation=consultation, organization=riverbank, author=cso, part="letter", text="Ours.")
    staff = User.objects.create_user(username="resolver", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        for item in Input.objects.select_related("author").order_by("pk"):
            input_resolve(item=item, resolution="declined", reason="Not now", user=staff)

    assert sorted(m.to for m in mail.outbox) == [[cso.email], ["quiet@example.org"], ["quiet@example.org"]]
    to_cso = next(m for m in mail.outbox if m.to == [cso.email])
    assert found(mail_text(to_cso)) == []
    assert "Ours." in to_cso.body
