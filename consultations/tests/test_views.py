"""The pages and actions of consultations: a permission matrix over seven roles, bad input, what
each reader sees of other organizations' inputs, and query counts.

Roles: anonymous; a member of an unverified organization; a member and an admin of verified CSOs;
a donor's member; staff without a second factor; the secretariat.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from consultations import services
from consultations.models import Consultation, Input
from consultations.tests.factories import ConsultationFactory, InputFactory
from events.models import Convening
from events.tests.factories import ConveningFactory
from organizations.models import Membership, Organization
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified_member",
    "cso_member",
    "org_admin",
    "donor",
    "staff_without_second_factor",
    "secretariat",
]
MAY_LEAVE_INPUTS = {"cso_member", "org_admin"}
OTHER_MARKER = "other-organization-unshared-input-4417"


@pytest.fixture
def org_admin(db: None) -> User:
    return MembershipFactory.create(
        user__username="orgadmin",
        organization__name="Admin's CSO",
        organization__slug="admins-cso",
        role=Membership.Role.ADMIN,
    ).user


@pytest.fixture
def role(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


@pytest.fixture
def world(secretariat: User) -> dict[str, Any]:
    """A letter circulating for inputs with another organization's unshared input, a draft
    recommendation, and a letter open for signature."""
    consultation = ConsultationFactory.create()
    other = OrganizationFactory.create(name="Other Quiet Org", slug="other-quiet-org")
    item = InputFactory.create(
        consultation=consultation, organization=other, text=OTHER_MARKER, moderation=Input.Moderation.APPROVED
    )
    draft = RecommendationFactory.create(convening=ConveningFactory.create(status=Convening.Status.DRAFT))
    signing = LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE)
    brief = services.consultation_open(
        kind="brief", convening=ConveningFactory.create(), text="A page of draft.", user=secretariat
    )
    return {"consultation": consultation, "input": item, "draft": draft, "signing": signing, "brief": brief}


def snapshot() -> tuple[Any, ...]:
    """Everything these actions could change."""
    return (
        list(Letter.objects.order_by("pk").values_list("pk", "state", "body", "sent_on")),
        Letter.history.count(),
        list(Consultation.objects.order_by("pk").values_list("pk", "closed_at", "text")),
        list(Input.objects.order_by("pk").values_list("pk", "moderation", "resolution", "sharing", "text")),
    )


def actions(world: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    item, consultation = world["input"], world["consultation"]
    return {
        "moderate": (reverse("secretariat:input_moderate", args=[item.pk]), {"action": "spam"}),
        "share": (reverse("secretariat:input_share", args=[item.pk]), {"sharing": "named"}),
        "resolve": (reverse("secretariat:input_resolve", args=[item.pk]), {"resolution": "declined", "reason": "No"}),
        "transition": (
            reverse("secretariat:letter_transition", args=[consultation.letter.slug]),
            {"to": "signature", "reason": "Go"},
        ),
        "close-signing": (
            reverse("secretariat:letter_transition", args=[world["signing"].slug]),
            {"to": "closed", "reason": "Done"},
        ),
        "open": (
            reverse("secretariat:consultation_open"),
            {"kind": "recommendation", "target": str(world["draft"].pk)},
        ),
        "close": (reverse("secretariat:consultation_close", args=[world["brief"].pk]), {}),
        "letter-new": (reverse("secretariat:letter_new"), {"title": "New", "body": "Text."}),
        "letter-edit": (
            reverse("secretariat:letter_edit", args=[consultation.letter.slug]),
            {"title": "Edited", "body": "An edited text.", "reason": "Input 1"},
        ),
    }


SECRETARIAT_ACTIONS = [
    "moderate",
    "share",
    "resolve",
    "transition",
    "close-signing",
    "open",
    "close",
    "letter-new",
    "letter-edit",
]


@pytest.mark.parametrize("role", ROLES, indirect=True)
@pytest.mark.parametrize("action", SECRETARIAT_ACTIONS)
def test_nobody_but_the_secretariat_moderates_or_transitions(world: dict[str, Any], role: Any, action: str) -> None:
    url, data = actions(world)[action]
    before = snapshot()

    response = client_for(role).post(url, data)

    if role.username == "staff":
        assert response.status_code == 302
        assert snapshot() != before
    else:
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/login/", "/accounts/second-factor/"))
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES, indirect=True)
def test_nobody_edits_a_letter_open_for_signature(world: dict[str, Any], role: Any) -> None:
    url = reverse("secretariat:letter_edit", args=[world["signing"].slug])
    before = snapshot()

    response = client_for(role).post(url, {"title": "Edited", "body": "An edited text.", "reason": "Late"})

    if role.username == "staff":
        assert response.status_code == 400
        assert "its text is frozen" in response.content.decode()
    else:
        assert response.status_code in (302, 404)
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES, indirect=True)
@pytest.mark.parametrize("state", ["inputs", "signature"])
def test_only_verified_members_leave_inputs_and_only_while_it_circulates(
    world: dict[str, Any], role: Any, request: pytest.FixtureRequest, state: str, secretariat: User
) -> None:
    consultation = world["consultation"]
    if state == "signature":
        services.letter_move(letter=consultation.letter, to="signature", reason="Go", user=secretariat)
    before = snapshot()

    response = client_for(role).post(
        reverse("consultations:input_create", args=[consultation.pk]),
        {"part": "letter", "kind": "comment", "text": "Mine."},
    )

    allowed = state == "inputs" and role.is_authenticated and role.username in ("cso", "orgadmin")
    if allowed:
        assert response.status_code == 302
        assert Input.objects.filter(text="Mine.").count() == 1
    else:
        assert response.status_code in (302, 400, 403, 404)
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES, indirect=True)
def test_nobody_reads_another_organizations_unshared_input(world: dict[str, Any], role: Any) -> None:
    consultation = world["consultation"]
    client = client_for(role)
    urls = [
        reverse("consultations:list"),
        reverse("consultations:detail", args=[consultation.pk]),
        reverse("consultations:compare", args=[consultation.pk]) + "?part=letter",
        reverse("secretariat:inputs"),
        consultation.letter.get_absolute_url(),
        reverse("recommendations:letter_export_csv"),
        "/api/v1/letters/",
    ]

    for url in urls:
        response = client.get(url)
        text = response.content.decode() if not response.streaming else b"".join(response.streaming_content).decode()
        if role.username == "staff":
            continue
        assert OTHER_MARKER not in text, url
        assert "Other Quiet Org" not in text, url


def test_the_secretariat_sees_every_input_and_its_controls(world: dict[str, Any], secretariat: User) -> None:
    response = client_for(secretariat).get(reverse("consultations:detail", args=[world["consultation"].pk]))

    assert OTHER_MARKER in response.content.decode()
    assert "Other Quiet Org" in response.content.decode()
    assert reverse("secretariat:input_resolve", args=[world["input"].pk]) in response.content.decode()


def test_a_member_sees_its_own_input_and_shared_ones(
    world: dict[str, Any], cso_member: User, secretariat: User
) -> None:
    consultation = world["consultation"]
    own = InputFactory.create(
        consultation=consultation, organization=Organization.objects.get(slug="verified-cso"), text="Our own words"
    )
    services.input_share(item=world["input"], sharing="anonymous", user=secretariat)

    page = client_for(cso_member).get(reverse("consultations:detail", args=[consultation.pk])).content.decode()

    assert own.text in page
    assert OTHER_MARKER in page  # shared, anonymised
    assert "Other Quiet Org" not in page
    assert "A member organization" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write your comment: it is empty."),
        ({"text": "x" * 5001}, "at most 5000 characters"),
        ({"quote": "a passage nobody wrote", "text": "Keep this"}, "The passage you quoted is not in the current text"),
        ({"kind": "rewording", "proposed_text": "", "text": ""}, "Write the wording you propose"),
        ({"part": "no-such-part", "text": "Keep this"}, "does not exist"),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_saves_nothing(
    world: dict[str, Any], cso_member: User, data: dict[str, str], message: str
) -> None:
    consultation = world["consultation"]
    before = snapshot()

    response = client_for(cso_member).post(
        reverse("consultations:input_create", args=[consultation.pk]),
        {"part": "letter", "kind": "comment", **data},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    if data.get("text") == "Keep this" and data.get("part") != "no-such-part":
        assert "Keep this" in page
    assert snapshot() == before


def test_inputs_are_rate_limited_per_user(world: dict[str, Any], cso_member: User, settings: Any) -> None:
    settings.CONSULTATION_INPUT_RATE_USER = "2/d"  # a day: no window ends between the requests
    client = client_for(cso_member)
    url = reverse("consultations:input_create", args=[world["consultation"].pk])

    statuses = [client.post(url, {"part": "letter", "kind": "comment", "text": f"N{n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert Input.objects.filter(text__startswith="N").count() == 2


def test_inputs_are_rate_limited_per_organization(world: dict[str, Any], settings: Any) -> None:
    settings.CONSULTATION_INPUT_RATE_ORGANIZATION = "2/d"
    organization = OrganizationFactory.create()
    users = [MembershipFactory.create(organization=organization).user for _ in range(3)]
    url = reverse("consultations:input_create", args=[world["consultation"].pk])

    statuses = [client_for(u).post(url, {"part": "letter", "kind": "comment", "text": "Hi"}).status_code for u in users]

    assert statuses == [302, 302, 429]


def test_the_compare_page_shows_the_words_changed(world: dict[str, Any], cso_member: User, secretariat: User) -> None:
    consultation = world["consultation"]
    from recommendations.services import text_change

    text_change(target=consultation.letter, text="We ask you to fund civil society for a decade.", reason="Edit")

    page = (
        client_for(cso_member)
        .get(reverse("consultations:compare", args=[consultation.pk]) + "?part=letter&from=1&to=2")
        .content.decode()
    )

    assert "<del>the long term</del><ins>a decade</ins>" in page
    bad = client_for(cso_member).get(reverse("consultations:compare", args=[consultation.pk]) + "?part=letter&from=9")
    assert "There is no such version" in bad.content.decode()


def test_the_menu_links_both_lists_and_fetches_their_counts_apart(
    world: dict[str, Any], cso_member: User, django_assert_max_num_queries: Any
) -> None:
    page = client_for(cso_member).get("/").content.decode()
    assert reverse("consultations:list") in page
    assert reverse("recommendations:letters_open") in page
    assert f'data-menu-counts="{reverse("consultations:menu_counts")}"' in page

    counts = client_for(cso_member).get(reverse("consultations:menu_counts"))
    anonymous = Client().get(reverse("consultations:menu_counts")).json()

    assert counts.json() == {"inputs": 2, "signature": 1, "consult": 1}  # the letter and the brief
    assert anonymous == {"signature": 1, "consult": 0}  # anonymous readers see no consultation
    assert counts["Cache-Control"] == "private, max-age=30"
    with django_assert_max_num_queries(0):
        Client().get(reverse("consultations:menu_counts"))  # the audience's cached answer


def test_a_letter_is_drafted_from_a_recommendation(secretariat: User) -> None:
    recommendation = RecommendationFactory.create(headline="Fund the core")
    client = client_for(secretariat)

    form = client.get(reverse("secretariat:letter_new") + f"?recommendations={recommendation.pk}")
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "Fund the core"
    bad = client.post(
        reverse("secretariat:letter_new"), {"recommendations": [recommendation.pk], "title": "", "body": ""}
    )
    assert bad.status_code == 400
    assert Letter.objects.count() == 0
    response = client.post(
        reverse("secretariat:letter_new"),
        {"recommendations": [recommendation.pk], "title": "To the SG", "body": "We ask.", "closes_on": "not a date"},
    )
    assert response.status_code == 400  # a bad date: nothing saved, the form says so
    assert Letter.objects.count() == 0
    response = client.post(
        reverse("secretariat:letter_new"),
        {"recommendations": [recommendation.pk], "title": "To the SG", "body": "We ask."},
    )
    letter = Letter.objects.get()
    assert response["Location"] == letter.get_absolute_url()
    assert list(letter.recommendations.all()) == [recommendation]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_consultation_page_has_constant_queries_over_parts_and_inputs(secretariat: User) -> None:
    client = client_for(secretariat)

    def page_for(n: int) -> str:
        convening = ConveningFactory.create(status=Convening.Status.DRAFT)
        recommendations = RecommendationFactory.create_batch(n, convening=convening)
        for r in recommendations:
            r.sub_items.create(letter="a", text="one;")
        consultation = services.consultation_open(kind="convening", convening=convening, user=secretariat)
        for r in recommendations:
            InputFactory.create(consultation=consultation, part=f"r{r.pk}")
        return reverse("consultations:detail", args=[consultation.pk])

    one, many = page_for(1), page_for(4)
    _queries(client, one)  # warm the session and the menu's cache

    assert _queries(client, one) == _queries(client, many)


def test_the_list_and_the_queue_have_constant_queries(secretariat: User) -> None:
    client = client_for(secretariat)
    urls = [reverse("consultations:list"), reverse("secretariat:inputs"), reverse("recommendations:letters_open")]
    InputFactory.create()
    LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE)
    [_queries(client, url) for url in urls]  # warm the session and the menu's cache
    first = [_queries(client, url) for url in urls]

    InputFactory.create_batch(3)  # each on a consultation of its own
    LetterFactory.create_batch(3, state=Letter.State.OPEN_FOR_SIGNATURE)

    assert [_queries(client, url) for url in urls] == first


def test_the_secretariat_circulates_a_draft_convening_and_a_brief(secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT, overview="What the day was about.")
    RecommendationFactory.create(convening=convening)
    client = client_for(secretariat)

    page = client.get(convening.get_absolute_url()).content.decode()
    assert "Circulate its draft recommendations for inputs" in page
    for kind in ("convening", "brief"):
        response = client.post(reverse("secretariat:consultation_open"), {"kind": kind, "target": convening.pk})
        assert response.status_code == 302
    again = client.post(
        reverse("secretariat:consultation_open"), {"kind": "brief", "target": convening.pk}, follow=True
    )

    assert "circulating for inputs already" in again.content.decode()
    assert sorted(Consultation.objects.values_list("kind", "text")) == [
        ("brief", "What the day was about."),
        ("convening", ""),
    ]


def test_a_letter_transition_with_a_bad_date_says_so_and_changes_nothing(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.CLOSED)
    before = snapshot()

    response = client_for(secretariat).post(
        reverse("secretariat:letter_transition", args=[letter.slug]),
        {"to": "sent", "reason": "Sent", "sent_on": "yesterday", "sent_to": "SG"},
        follow=True,
    )

    assert "Give the date sent as a date" in response.content.decode()
    assert snapshot() == before
