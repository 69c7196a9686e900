"""The preview's suggestions from the seeds, accepted or changed by staff, and what the draft gets."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ROUNDTABLE, VIENNA, seed_path, seed_text
from events.models import Convening, Participation
from events.tests.factories import ConveningFactory
from importing.parser import parse_summary
from importing.selectors import import_suggestions, organization_directory
from importing.services import (
    AcceptedParticipant,
    AcceptedProposal,
    AcceptedSuggestions,
    ImportMetadata,
    ImportRefused,
    convening_import,
)
from importing.suggest_entities import CO_CHAIR, CONVENOR, PARTICIPANT, suggest_entities
from importing.tests.documents import SMALL_SUMMARY
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Recommendation
from recommendations.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """What a browser would post from the page's import form: the values as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value") or "on"))
            else:
                self.values.append((name, a.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline right after <textarea>.
            self.values.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_values(html: str, **overrides: str | list[str]) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(html)
    values: dict[str, list[str]] = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    for name, override in overrides.items():
        values[name.replace("__", "-")] = override if isinstance(override, list) else [override]
    return values


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _preview(client: Client, text: str) -> Any:
    response = client.post(reverse("secretariat:import"), {"text": text})
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _confirm(client: Client, data: dict[str, list[str]]) -> Any:
    return client.post(reverse("secretariat:import_confirm"), data)


# --- the seeds ----------------------------------------------------------------------------------


def test_new_york_seed_offers_the_letter_with_four_items_and_the_one_page_brief() -> None:
    proposals = suggest_entities(parse_summary(seed_text(ROUNDTABLE))).proposals
    ticked = {p.paragraph: p for p in proposals if p.ticked and p.sub_items}
    brief = [p for p in proposals if "one-page" in p.headline]

    letter = ticked[7]
    assert "letter to the SG" in letter.headline
    assert [s.letter for s in letter.sub_items] == ["a", "b", "c", "d"]
    assert letter.sub_items[1].text.startswith("Proposing the formation of a civil society advisory group")
    assert letter.body.startswith("As a follow-up, it was suggested")
    assert [(p.paragraph, p.ticked) for p in brief] == [(3, True)]
    assert "one-page document" in brief[0].body


def test_new_york_seed_names_both_convenors_and_the_co_chairs_as_next_step_owners() -> None:
    suggestions = suggest_entities(parse_summary(seed_text(ROUNDTABLE)))

    assert [(p.name, p.role) for p in suggestions.participants] == [
        ("Prevention Project", CONVENOR),
        ("Global Center on Cooperative Security", CONVENOR),
        ("International Civil Society Action Network", CO_CHAIR),
    ]
    assert [(o.next_step, o.name) for o in suggestions.next_step_owners] == [
        (1, "Prevention Project"),
        (1, "International Civil Society Action Network"),
    ]


def test_vienna_seed_matches_its_convenor_in_the_directory() -> None:
    project = OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")
    result = parse_summary(seed_text(VIENNA))

    entities = import_suggestions(result=result, directory=organization_directory(user=None)).entities

    assert [(p.name, p.role, p.organization.id if p.organization else None) for p in entities.participants] == [
        ("Prevention Project", CONVENOR, project.pk),
        ("OSCE", PARTICIPANT, None),
        ("United Nations", PARTICIPANT, None),
    ]
    assert entities.proposals == []  # the document has its recommendation list


def test_suggested_roles_are_participation_roles() -> None:
    assert {CONVENOR, CO_CHAIR, PARTICIPANT} <= set(Participation.Role.values)


def test_import_summary_json_lists_participants_and_proposals_with_scores() -> None:
    OrganizationFactory.create(name="Prevention Project", slug="prevention-project", verified_at=None)
    out = StringIO()

    call_command("import_summary", str(seed_path(ROUNDTABLE)), "--dry-run", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["suggested_participants"][0] == {
        "name": "Prevention Project",
        "organization_slug": "prevention-project",
        "role": "convenor",
        "score": 0.9,
    }
    assert data["suggested_participants"][1]["organization_slug"] is None
    letter = next(p for p in data["suggested_proposals"] if len(p["sub_items"]) == 4)
    assert (letter["paragraph"], letter["score"]) == (7, 0.9)
    assert [s["letter"] for s in letter["sub_items"]] == ["a", "b", "c", "d"]
    assert set(letter) == {"paragraph", "headline", "body", "sub_items", "score"}
    assert Convening.objects.count() == 0


# --- accepting in the preview -------------------------------------------------------------------


def test_preview_shows_the_suggestions_of_the_new_york_seed(secretariat: User) -> None:
    OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")

    page = _preview(_client(secretariat), seed_text(ROUNDTABLE)).content.decode()

    assert "Participants and convenors" in page
    assert "Owners of the next steps" in page
    assert "From ¶7" in page
    assert "in the directory" in page
    values = form_values(page)
    assert values["s-participants"] == ["0", "1", "2"]
    assert values["s-participant-0-visibility"] == ["confidential"]
    assert len(values["s-proposals"]) == 4  # the brief, the technology one and both letters


def test_accept_all_creates_the_convenors_owners_and_proposals_the_preview_offered(secretariat: User) -> None:
    project = OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")
    client = _client(secretariat)
    page = _preview(client, seed_text(ROUNDTABLE)).content.decode()

    response = _confirm(client, form_values(page, action="accept_all"))

    assert response.status_code == 302, response.content.decode()[:800]
    convening = Convening.objects.get()
    participations = {
        (p.organization.name, p.role, p.visibility) for p in convening.participations.select_related("organization")
    }
    assert participations == {
        ("The Prevention Project", "convenor", "confidential"),
        ("Global Center on Cooperative Security", "convenor", "confidential"),
        ("International Civil Society Action Network", "co_chair", "confidential"),
    }
    step = convening.next_steps.get()
    assert sorted(step.owners.values_list("name", flat=True)) == [
        "International Civil Society Action Network",
        "The Prevention Project",
    ]
    assert project.participations.count() == 1
    recommendations = list(convening.recommendations.prefetch_related("sub_items", "source_paragraphs"))
    assert [(r.number, [p.number for p in r.source_paragraphs.all()]) for r in recommendations] == [
        (1, [3]),
        (2, [5]),
        (3, [7]),
        (4, [7]),
    ]
    assert [s.letter for s in recommendations[2].sub_items.all()] == ["a", "b", "c", "d"]


def test_the_draft_gets_exactly_what_was_ticked_and_changed(secretariat: User) -> None:
    client = _client(secretariat)
    page = _preview(client, seed_text(ROUNDTABLE)).content.decode()
    values = form_values(page)
    letter = next(i for i in values["s-proposals"] if "letter to the SG" in values[f"s-proposal-{i}-headline"][0])

    response = _confirm(
        client,
        form_values(
            page,
            action="create",
            s__proposals=[letter],
            **{f"s__proposal-{letter}-headline": "Write to the Secretary-General"},
            s__participants=["0", "2"],
            **{"s__participant-2-role": "speaker", "s__participant-2-visibility": "network"},
            s__owners=[],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:800]
    convening = Convening.objects.get()
    assert list(convening.recommendations.values_list("headline", flat=True)) == ["Write to the Secretary-General"]
    assert convening.recommendations.get().sub_items.count() == 4
    assert sorted(convening.participations.values_list("organization__name", "role", "visibility")) == [
        ("International Civil Society Action Network", "speaker", "network"),
        ("Prevention Project", "convenor", "confidential"),
    ]
    assert convening.next_steps.get().owners.count() == 0


def test_each_recommendation_gets_exactly_the_themes_and_addressees_ticked(secretariat: User) -> None:
    youth = ThemeFactory.create(name="Youth")
    client = _client(secretariat)
    page = _preview(client, seed_text(VIENNA)).content.decode()
    values = form_values(page, action="create", **{"s__themes-13": [youth.slug], "s__addressees-13": []})

    response = _confirm(client, values)

    assert response.status_code == 302, response.content.decode()[:800]
    recommendations = Recommendation.objects.filter(convening=Convening.objects.get()).prefetch_related(
        "themes", "addressees"
    )
    created = {
        r.number: ({t.slug for t in r.themes.all()}, {a.slug for a in r.addressees.all()}) for r in recommendations
    }
    ticked = {n: (set(values.get(f"s-themes-{n}", [])), set(values.get(f"s-addressees-{n}", []))) for n in range(1, 14)}
    assert created == ticked
    assert created[13] == ({youth.slug}, set())


@pytest.mark.parametrize(
    ("seed", "overrides", "message"),
    [
        (ROUNDTABLE, {"s__participant-0-organization": "999999"}, "999999 is not one of the available choices"),
        (ROUNDTABLE, {"s__proposals": ["99"]}, "99 is not one of the available choices"),
        (ROUNDTABLE, {"s__participants": ["7"]}, "7 is not one of the available choices"),
        (ROUNDTABLE, {"s__owners": ["-1"]}, "-1 is not one of the available choices"),
        (VIENNA, {"s__themes-1": ["no-such-theme"]}, "no-such-theme is not one of the available choices"),
        (ROUNDTABLE, {"s__participant-0-role": "emperor"}, "emperor is not one of the available choices"),
        (ROUNDTABLE, {"s__participant-1-name": " "}, "Give the new organization"),
        (ROUNDTABLE, {"s__proposal-0-headline": "", "s__proposals": ["0"]}, "A recommendation needs a headline"),
    ],
)
def test_a_tampered_suggestion_is_a_message_and_creates_nothing(
    secretariat: User, seed: str, overrides: dict[str, Any], message: str
) -> None:
    OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")
    client = _client(secretariat)
    page = _preview(client, seed_text(seed)).content.decode()

    response = _confirm(client, form_values(page, action="create", **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Some suggestions could not be accepted" in response.content.decode()
    assert Convening.objects.count() == 0
    # Nothing typed is lost: the page still carries the text and the details.
    assert form_values(response.content.decode())["title"] == form_values(page)["title"]


def test_an_organization_deleted_since_the_preview_is_a_message(secretariat: User) -> None:
    project = OrganizationFactory.create(name="The Prevention Project", slug="prevention-project")
    client = _client(secretariat)
    values = form_values(_preview(client, seed_text(ROUNDTABLE)).content.decode(), action="create")
    project.delete()

    response = _confirm(client, values)

    assert response.status_code == 200
    assert Convening.objects.count() == 0
    assert "Some suggestions could not be accepted" in response.content.decode()


def test_importing_the_same_file_again_with_the_same_suggestions_changes_nothing(secretariat: User) -> None:
    client = _client(secretariat)
    first = form_values(_preview(client, seed_text(ROUNDTABLE)).content.decode(), action="accept_all")
    _confirm(client, first)
    convening = Convening.objects.get()
    before = (
        sorted(convening.participations.values_list("organization__name", "role", "visibility")),
        list(convening.recommendations.values_list("number", "headline")),
        Organization.objects.count(),
    )

    again = _preview(client, seed_text(ROUNDTABLE)).content.decode()
    response = _confirm(client, form_values(again, action="create"))

    assert response.status_code == 302
    assert Convening.objects.get() == convening
    after = (
        sorted(convening.participations.values_list("organization__name", "role", "visibility")),
        list(convening.recommendations.values_list("number", "headline")),
        Organization.objects.count(),
    )
    assert after == before
    assert convening.recommendations.get(number=3).sub_items.count() == 4


@pytest.mark.parametrize("htmx", [False, True])
def test_a_section_can_be_accepted_whole_or_dropped_with_or_without_htmx(secretariat: User, htmx: bool) -> None:
    client = _client(secretariat)
    values = form_values(_preview(client, seed_text(ROUNDTABLE)).content.decode())
    headers = {"HX-Request": "true"} if htmx else {}

    dropped = client.post(
        reverse("secretariat:import_confirm"), {**values, "action": "none:proposals"}, headers=headers
    )
    kept = client.post(reverse("secretariat:import_confirm"), {**values, "action": "all:proposals"}, headers=headers)

    assert (dropped.status_code, kept.status_code) == (200, 200)
    assert "s-proposals" not in form_values(dropped.content.decode())
    offered = suggest_entities(parse_summary(seed_text(ROUNDTABLE))).proposals
    assert len(form_values(kept.content.decode())["s-proposals"]) == len(offered) == 10
    assert Convening.objects.count() == 0


def test_a_post_without_the_suggestions_accepts_none_of_them(secretariat: User) -> None:
    # An old page (or a script) that never showed the suggestions must not apply them unseen.
    client = _client(secretariat)
    values = form_values(_preview(client, seed_text(ROUNDTABLE)).content.decode(), action="create")
    plain = {k: v for k, v in values.items() if not k.startswith("s-")}

    response = _confirm(client, plain)

    assert response.status_code == 302
    convening = Convening.objects.get()
    assert (convening.participations.count(), convening.recommendations.count()) == (0, 0)


def test_the_preview_makes_as_many_queries_for_one_recommendation_as_for_thirteen(secretariat: User) -> None:
    client = _client(secretariat)
    ThemeFactory.create_batch(3)
    OrganizationFactory.create_batch(3)

    counts = []
    for text in (
        SMALL_SUMMARY.replace("Informal Meeting Summary", "RECOMMENDATIONS\n\n1. **One:** Do it.\n\nSUMMARY"),
        seed_text(VIENNA),
    ):
        with CaptureQueriesContext(connection) as queries:
            _preview(client, text)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- who may see a match ------------------------------------------------------------------------


def test_a_match_to_a_confidential_participant_is_shown_only_to_the_secretariat(
    secretariat: User, cso_member: User
) -> None:
    hidden = OrganizationFactory.create(name="The Prevention Project", slug="prevention-project", verified_at=None)
    other = ConveningFactory.create(code="WS-2016-XYZ", title="A closed workshop")
    Participation.objects.create(convening=other, organization=hidden, visibility=Participation.Visibility.CONFIDENTIAL)
    result = parse_summary(seed_text(ROUNDTABLE))

    as_member = import_suggestions(result=result, directory=organization_directory(user=cso_member))
    staff_page = _preview(_client(secretariat), seed_text(ROUNDTABLE)).content.decode()
    member_post = _client(cso_member).post(
        reverse("secretariat:import_confirm"), {"text": seed_text(ROUNDTABLE), "action": "accept_all"}
    )

    assert as_member.entities.participants[0].organization is None
    assert as_member.entities.participants[0].candidates == ()
    assert f'value="{hidden.pk}" selected' in staff_page
    assert "WS-2016-XYZ" not in staff_page and "A closed workshop" not in staff_page
    assert member_post.status_code == 404
    assert Convening.objects.count() == 1


# --- the service ---------------------------------------------------------------------------------


def test_an_organization_named_twice_gets_one_participation_with_the_stronger_role_and_safer_visibility() -> None:
    organization = OrganizationFactory.create(name="Lagoon Watch")
    result = parse_summary(SMALL_SUMMARY)
    metadata = ImportMetadata.from_result(result, convenors=[organization], convenor_visibility="public")
    accepted = AcceptedSuggestions(
        participants=[
            AcceptedParticipant(role="participant", visibility="network", organization=organization),
            AcceptedParticipant(role="speaker", visibility="public", name="lagoon watch"),
        ]
    )

    convening = convening_import(result=result, metadata=metadata, user=None, accepted=accepted)

    assert list(convening.participations.values_list("organization", "role", "visibility")) == [
        (organization.pk, "convenor", "network")
    ]


def test_accepted_suggestions_the_document_does_not_hold_are_refused_before_anything_is_written() -> None:
    result = parse_summary(SMALL_SUMMARY)
    metadata = ImportMetadata.from_result(result)

    with pytest.raises(ImportRefused, match="no paragraph 9"):
        convening_import(
            result=result,
            metadata=metadata,
            user=None,
            accepted=AcceptedSuggestions(proposals=[AcceptedProposal(paragraph=9, headline="Meet", body="Meet.")]),
        )

    assert (Convening.objects.count(), Organization.objects.count()) == (0, 0)
