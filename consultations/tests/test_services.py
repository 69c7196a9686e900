"""Letters through their states, inputs left, moderated, shared and resolved, versions and mails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser, User
from django.core import mail
from django.core.cache import cache

from consultations import selectors, services
from consultations.models import Consultation, Input
from consultations.tests.factories import ConsultationFactory
from events.models import Convening
from events.tests.factories import ConveningFactory
from gsx_portal.clock import portal_today
from organizations.models import Organization
from organizations.tests.factories import MembershipFactory
from recommendations import services as recommendation_services
from recommendations.models import Letter
from recommendations.tests.factories import (
    AddresseeFactory,
    LetterFactory,
    RecommendationFactory,
    SubItemFactory,
)
from recommendations.version_selectors import text_versions

pytestmark = pytest.mark.django_db


def org_of(user: User) -> Organization:
    return Organization.objects.acting_for(user).get()


def leave(consultation: Consultation, user: User, **fields: Any) -> Input:
    defaults: dict[str, Any] = {"part": "letter", "kind": "comment", "text": "A comment."}
    return services.input_leave(
        consultation=consultation, user=user, organization=org_of(user), **{**defaults, **fields}
    )


# --- Letters -------------------------------------------------------------------------------------


def test_a_letter_created_from_recommendations_is_a_draft_citing_them(secretariat: User) -> None:
    convening = ConveningFactory.create()
    recommendations = RecommendationFactory.create_batch(2, convening=convening)
    addressee = AddresseeFactory.create(name="UN Secretary-General")

    letter = recommendation_services.letter_create(
        title="To the Secretary-General",
        body="We ask.",
        recommendations=recommendations,
        addressee=addressee,
        user=secretariat,
    )

    assert (letter.state, letter.convening, letter.addressee) == (Letter.State.DRAFT, convening, addressee)
    assert set(letter.recommendations.all()) == set(recommendations)
    assert letter.history.get().history_user == secretariat


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "needs a title"),
        ({"body": "  "}, "needs a text"),
        ({"body": "x" * 20_001}, "limited to 20,000"),
        ({"opens_on": dt.date(2030, 2, 1), "closes_on": dt.date(2030, 1, 1)}, "closes before it opens"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_is_saved(fields: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"title": "A letter", "body": "Text.", "recommendations": [], **fields}

    with pytest.raises(recommendation_services.LetterError, match=message):
        recommendation_services.letter_create(**arguments)

    assert Letter.objects.count() == 0


def test_a_letter_moves_through_every_state_with_its_reasons_in_history(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.DRAFT)
    today = portal_today()

    for to, reason in [("inputs", "Ready for inputs"), ("signature", "Inputs done"), ("closed", "Window over")]:
        services.letter_move(letter=letter, to=to, reason=reason, user=secretariat)
    services.letter_move(
        letter=letter, to="sent", reason="Delivered", user=secretariat, sent_on=today, sent_to="Office of the SG"
    )

    letter.refresh_from_db()
    assert (letter.state, letter.sent_on, letter.sent_to, letter.opens_on) == ("sent", today, "Office of the SG", today)
    reasons = list(letter.history.order_by("history_date").values_list("state", "history_change_reason"))
    assert reasons[1:] == [
        ("inputs", "Ready for inputs"),
        ("signature", "Inputs done"),
        ("closed", "Window over"),
        ("sent", "Delivered"),
    ]
    consultation = Consultation.objects.get(letter=letter)
    assert consultation.closed_at is not None  # it stopped taking inputs when signatures opened


def test_a_renamed_letter_renames_its_consultation(secretariat: User) -> None:
    letter = LetterFactory.create(state=Letter.State.DRAFT, title="Letter on civic space")
    services.letter_move(letter=letter, to="inputs", reason="Ready for inputs", user=secretariat)
    other = ConsultationFactory.create(title="Another consultation")
    letter.refresh_from_db()

    recommendation_services.letter_update(
        letter=letter,
        title="Letter on civic space and youth",
        body=letter.body,
        recommendations=list(letter.recommendations.all()),
        addressee=letter.addressee,
        opens_on=letter.opens_on,
        closes_on=letter.closes_on,
        reason="A wider title",
        user=secretariat,
    )

    assert Consultation.objects.get(letter=letter).title == "Letter on civic space and youth"
    other.refresh_from_db()
    assert other.title == "Another consultation"


@pytest.mark.parametrize(
    ("state", "to", "extra", "message"),
    [
        ("draft", "closed", {}, "cannot move"),
        ("sent", "draft", {}, "cannot move"),
        ("signature", "closed", {"reason": " "}, "Give a reason"),
        ("closed", "sent", {}, "date the letter was sent and to whom"),
        ("closed", "sent", {"sent_on": dt.date(2999, 1, 1), "sent_to": "SG"}, "future"),
        ("draft", "signature", {"reason": "x" * 501}, "500 characters"),
    ],
)
def test_a_refused_transition_changes_nothing(
    secretariat: User, state: str, to: str, extra: dict[str, Any], message: str
) -> None:
    letter = LetterFactory.create(state=state)
    before = letter.history.count()

    with pytest.raises(services.ConsultationError, match=message):
        services.letter_move(letter=letter, to=to, user=secretariat, **{"reason": "Because", **extra})

    letter.refresh_from_db()
    assert (letter.state, letter.history.count(), Consultation.objects.count()) == (state, before, 0)


def test_the_data_migration_makes_old_circulating_letters_open_for_signature() -> None:
    import importlib

    migration = importlib.import_module("recommendations.migrations.0014_letter_states")
    letter = LetterFactory.create()
    Letter.objects.filter(pk=letter.pk).update(state="circulating")
    Letter.history.filter(id=letter.pk).update(state="circulating")

    migration.forwards(django_apps, None)

    letter.refresh_from_db()
    assert letter.state == Letter.State.OPEN_FOR_SIGNATURE
    assert set(Letter.history.filter(id=letter.pk).values_list("state", flat=True)) == {"signature"}


# --- Inputs --------------------------------------------------------------------------------------


def test_a_member_leaves_a_rewording_of_a_quoted_passage(cso_member: User) -> None:
    consultation = ConsultationFactory.create()

    item = leave(
        consultation, cso_member, kind="rewording", text="", quote="for the long term", proposed_text="for ten years"
    )

    assert (item.quote_offset, item.organization, item.moderation) == (33, org_of(cso_member), "pending")
    row = selectors.input_row(item, user=cso_member, own_organizations={item.organization_id}, text=item.base_text)
    assert row.pieces == [("equal", "for "), ("delete", "the long term"), ("insert", "ten years")]
    assert row.passage_gone is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "comment: it is empty"),
        ({"text": "x" * 5001}, "5,000 characters"),
        ({"kind": "rewording", "proposed_text": ""}, "wording you propose: it is empty"),
        ({"kind": "rewording", "proposed_text": "y" * 20_001}, "limited in length"),
        ({"quote": "words that are not there"}, "not in the current text"),
        ({"part": "r999999"}, "does not exist"),
        ({"part": "document", "kind": "rewording", "proposed_text": "New"}, "Choose the recommendation"),
        ({"kind": "shout"}, "Choose a comment"),
        ({"kind": "rewording", "quote": "long term", "proposed_text": "long term"}, "same as the current text"),
    ],
)
def test_a_bad_input_gets_a_clear_message_and_nothing_is_saved(
    cso_member: User, fields: dict[str, Any], message: str
) -> None:
    consultation = ConsultationFactory.create()

    with pytest.raises(services.ConsultationError, match=message):
        leave(consultation, cso_member, **fields)

    assert Input.objects.count() == 0


def test_inputs_are_refused_once_the_letter_moves_on(cso_member: User, secretariat: User) -> None:
    consultation = ConsultationFactory.create()
    assert consultation.letter is not None
    services.letter_move(letter=consultation.letter, to="signature", reason="Enough", user=secretariat)

    with pytest.raises(services.ConsultationError, match="no longer takes inputs"):
        leave(consultation, cso_member)

    assert Input.objects.count() == 0


def test_a_member_of_an_unverified_organization_cannot_leave_an_input(unverified_member: User, donor: User) -> None:
    consultation = ConsultationFactory.create()

    for user in (unverified_member, donor):
        organization = user.memberships.get().organization
        with pytest.raises(services.ConsultationForbidden):
            services.input_leave(
                consultation=consultation,
                user=user,
                organization=organization,
                part="letter",
                kind="comment",
                text="Hi",
            )

    assert Input.objects.count() == 0


def test_an_input_is_seen_by_its_organization_and_the_secretariat_only_until_shared(
    cso_member: User, secretariat: User
) -> None:
    other = MembershipFactory.create().user
    item = leave(ConsultationFactory.create(), cso_member)

    assert list(Input.objects.visible_to(cso_member)) == [item]
    assert list(Input.objects.visible_to(secretariat)) == [item]
    assert list(Input.objects.visible_to(other)) == []
    assert list(Input.objects.visible_to(AnonymousUser())) == []

    services.input_moderate(item=item, action="approved", user=secretariat)
    services.input_share(item=item, sharing="anonymous", user=secretariat)
    item.refresh_from_db()

    assert list(Input.objects.visible_to(other)) == [item]
    row = selectors.input_row(item, user=other, own_organizations=set(), text="")
    assert row.author_label == "A member organization"
    services.input_share(item=item, sharing="named", user=secretariat)
    item.refresh_from_db()
    assert selectors.input_row(item, user=other, own_organizations=set(), text="").author_label == "Verified CSO"


def test_sharing_needs_approval_and_hiding_needs_a_reason_and_unshares(cso_member: User, secretariat: User) -> None:
    item = leave(ConsultationFactory.create(), cso_member)

    with pytest.raises(services.ConsultationError, match="Approve the input"):
        services.input_share(item=item, sharing="named", user=secretariat)
    services.input_moderate(item=item, action="approved", user=secretariat)
    services.input_share(item=item, sharing="named", user=secretariat)
    with pytest.raises(services.ConsultationError, match="Give a reason"):
        services.input_moderate(item=item, action="hidden", reason="", user=secretariat)
    services.input_moderate(item=item, action="hidden", reason="Names a person at risk", user=secretariat)

    item.refresh_from_db()
    assert (item.moderation, item.moderation_reason, item.sharing) == ("hidden", "Names a person at risk", "private")
    assert item.history.first().history_change_reason == "Names a person at risk"


def test_accepting_a_rewording_applies_it_as_a_new_version_and_mails_the_author(
    cso_member: User, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = ConsultationFactory.create()
    letter = consultation.letter
    assert letter is not None
    item = leave(consultation, cso_member, kind="rewording", text="", quote="long term", proposed_text="next decade")

    with django_capture_on_commit_callbacks(execute=True):
        services.input_resolve(item=item, resolution="accepted", reason="Clearer", apply=True, user=secretariat)

    letter.refresh_from_db()
    assert letter.body == "We ask you to fund civil society for the next decade."
    versions = text_versions(letter, "body")
    assert [v.number for v in versions] == [1, 2]
    assert versions[-1].reason == f"Rewording accepted (input {item.pk})."
    assert [m.to for m in mail.outbox] == [[cso_member.email]]
    assert "accepted" in mail.outbox[0].subject
    assert "Clearer" in mail.outbox[0].body


def test_a_rewording_whose_passage_vanished_cannot_be_applied(cso_member: User, secretariat: User) -> None:
    consultation = ConsultationFactory.create()
    item = leave(consultation, cso_member, kind="rewording", text="", quote="long term", proposed_text="next decade")
    assert consultation.letter is not None
    recommendation_services.text_change(target=consultation.letter, text="A new text entirely.", reason="Edit")

    with pytest.raises(services.ConsultationError, match="no longer in the text"):
        services.input_resolve(item=item, resolution="accepted", apply=True, user=secretariat)

    item.refresh_from_db()
    assert (item.resolution, len(mail.outbox)) == ("open", 0)
    row = selectors.consultation_page(user=secretariat, pk=consultation.pk).parts[0].inputs[0]
    assert row.passage_gone is True


def test_declining_needs_a_reason_and_merging_another_input(
    cso_member: User, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    consultation = ConsultationFactory.create()
    first, second = leave(consultation, cso_member), leave(consultation, cso_member, text="Same point.")

    with pytest.raises(services.ConsultationError, match="Give a reason"):
        services.input_resolve(item=first, resolution="declined", reason=" ", user=secretariat)
    with pytest.raises(services.ConsultationError, match="another input"):
        services.input_resolve(item=second, resolution="merged", merged_into=second, user=secretariat)
    assert len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.input_resolve(item=first, resolution="declined", reason="Out of scope", user=secretariat)
        services.input_resolve(item=second, resolution="merged", merged_into=first, user=secretariat)

    assert list(Input.objects.order_by("pk").values_list("resolution", "resolution_reason")) == [
        ("declined", "Out of scope"),
        ("merged", ""),
    ]
    assert len(mail.outbox) == 2
    with pytest.raises(services.ConsultationError, match="resolved already"):
        services.input_resolve(item=first, resolution="accepted", user=secretariat)


def test_a_draft_convenings_recommendations_circulate_part_by_part(cso_member: User, secretariat: User) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    recommendation = RecommendationFactory.create(convening=convening, body="Fund the core.")
    sub_item = SubItemFactory.create(recommendation=recommendation, letter="a", text="for five years;")
    consultation = services.consultation_open(kind="convening", convening=convening, user=secretariat)

    item = leave(
        consultation, cso_member, part=f"s{sub_item.pk}", kind="rewording", text="", proposed_text="for ten years;"
    )
    services.input_resolve(item=item, resolution="accepted", apply=True, user=secretariat)

    sub_item.refresh_from_db()
    assert sub_item.text == "for ten years;"
    assert [p.key for p in selectors.parts_of(consultation)] == [f"r{recommendation.pk}", f"s{sub_item.pk}"]
    with pytest.raises(services.ConsultationError, match="circulating for inputs already"):
        services.consultation_open(kind="convening", convening=convening, user=secretariat)


def test_a_published_recommendation_does_not_circulate_but_a_brief_does(secretariat: User) -> None:
    recommendation = RecommendationFactory.create()  # of a published convening

    with pytest.raises(services.ConsultationError, match="Only a draft recommendation"):
        services.consultation_open(kind="recommendation", recommendation=recommendation, user=secretariat)
    brief = services.consultation_open(
        kind="brief",
        convening=recommendation.convening,
        text="A page on the convening.",
        user=secretariat,
        selection=[recommendation],
    )

    assert [p.key for p in selectors.parts_of(brief)] == ["brief", f"r{recommendation.pk}"]


def test_menu_counts_are_cached_per_audience_and_forgotten_on_a_transition(
    cso_member: User, secretariat: User, django_assert_num_queries: Any
) -> None:
    ConsultationFactory.create()
    LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE)
    cache.clear()

    assert selectors.menu_counts(user=AnonymousUser()) == {"inputs": 0, "signature": 1, "consult": 0}
    assert selectors.menu_counts(user=cso_member) == {"inputs": 1, "signature": 1, "consult": 1}
    with django_assert_num_queries(0):
        selectors.menu_counts(user=AnonymousUser())
    draft = LetterFactory.create(state=Letter.State.DRAFT)
    services.letter_move(letter=draft, to="signature", reason="Go", user=secretariat)  # forgets on commit
    selectors.menu_counts_forget()  # (this test's transaction never commits)
    assert selectors.menu_counts(user=AnonymousUser())["signature"] == 2


def test_the_worklist_selectors(cso_member: User, secretariat: User) -> None:
    today = portal_today()
    item = leave(ConsultationFactory.create(), cso_member)
    soon = LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE, closes_on=today + dt.timedelta(days=3))
    LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE, closes_on=today + dt.timedelta(days=30))

    assert list(selectors.inputs_awaiting_moderation(user=secretariat)) == [item]
    assert list(selectors.inputs_awaiting_moderation(user=cso_member)) == []
    assert list(selectors.letters_closing_this_week(user=secretariat)) == [soon]
