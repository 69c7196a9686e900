"""Reads of consultations: the parts of a document, its inputs as a reader may see them, the menu
counts, and the secretariat's worklist entries (``inputs_awaiting_moderation``,
``letters_closing_this_week``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from events.briefs import BriefDraft
from gsx_portal.clock import portal_today
from organizations.models import is_network_member, is_secretariat
from recommendations import text_diff
from recommendations.endorsement_selectors import letters_open_for_signature
from recommendations.models import Letter, Recommendation, SubItem
from recommendations.version_selectors import TextVersion, text_versions

from .models import Consultation, Input

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DOCUMENT = "document"  # an input on the document as a whole: a comment, no rewording


@dataclass
class Part:
    """One text of a circulating document that inputs quote and rewordings replace."""

    key: str
    label: str
    text: str
    target: Letter | Recommendation | SubItem | Consultation
    heading: str = ""  # a recommendation's headline, shown above its body
    inputs: list[InputRow] = field(default_factory=list)
    version_count: int = 1

    @property
    def version_field(self) -> str:
        return "text" if isinstance(self.target, SubItem | Consultation) else "body"

    def versions(self) -> list[TextVersion]:
        return text_versions(self.target, self.version_field)


@dataclass
class InputRow:
    """An input as this reader may see it: ``author_label`` is already what may be shown."""

    input: Input
    author_label: str
    is_own: bool
    passage_gone: bool
    pieces: list[tuple[str, str]]


def _recommendation_parts(recommendations: list[Recommendation]) -> list[Part]:
    parts: list[Part] = []
    for recommendation in recommendations:
        parts.append(
            Part(
                key=f"r{recommendation.pk}",
                label=recommendation.reference,
                heading=recommendation.headline,
                text=recommendation.body,
                target=recommendation,
            )
        )
        parts.extend(
            Part(key=f"s{s.pk}", label=s.reference, text=s.text, target=s) for s in recommendation.sub_items.all()
        )
    return parts


def parts_of(consultation: Consultation) -> list[Part]:
    """The document's texts in reading order; the document-as-a-whole entry is not among them."""
    recommendations = Recommendation.objects.select_related("convening").prefetch_related(
        Prefetch("sub_items", queryset=SubItem.objects.select_related("recommendation__convening"))
    )
    if consultation.kind == Consultation.Kind.LETTER:
        assert consultation.letter is not None
        letter = consultation.letter
        return [Part(key="letter", label=letter.title, text=letter.body, target=letter)]
    if consultation.kind == Consultation.Kind.RECOMMENDATION:
        return _recommendation_parts(list(recommendations.filter(pk=consultation.recommendation_id or 0)))
    if consultation.kind == Consultation.Kind.CONVENING:
        return _recommendation_parts(list(recommendations.filter(convening_id=consultation.convening_id or 0)))
    brief = Part(key="brief", label=consultation.title, text=consultation.text, target=consultation)
    return [brief, *_recommendation_parts(list(recommendations.filter(brief_consultations=consultation)))]


def count_versions(parts: list[Part]) -> None:
    """Sets each part's ``version_count``: one history query per kind of text, not one per part."""
    groups: dict[tuple[type, str], list[Part]] = {}
    for part in parts:
        groups.setdefault((type(part.target), part.version_field), []).append(part)
    for (model, name), members in groups.items():
        history: Any = model.history  # type: ignore[attr-defined]  # simple-history's manager
        counts: dict[int, int] = {}
        last: dict[int, str] = {}
        records = history.filter(id__in=[p.target.pk for p in members]).order_by("id", "history_date", "history_id")
        for pk, text in records.values_list("id", name):
            if pk not in last or last[pk] != text:
                counts[pk] = counts.get(pk, 0) + 1
            last[pk] = text
        for part in members:
            part.version_count = counts.get(part.target.pk, 1)


def part_of(consultation: Consultation, key: str) -> Part | None:
    return next((p for p in parts_of(consultation) if p.key == key), None)


def input_row(item: Input, *, user: User | AnonymousUser | None, own_organizations: set[int], text: str) -> InputRow:
    secretariat = is_secretariat(user)
    is_own = item.organization_id in own_organizations
    if secretariat or is_own or item.sharing == Input.Sharing.NAMED:
        label = item.organization.name
    else:
        label = gettext("A member organization")  # anonymised: nothing of the organization shows
    gone = bool(item.quote) and text_diff.locate(text, item.quote, item.quote_offset) is None
    pieces: list[tuple[str, str]] = []
    if item.kind == Input.Kind.REWORDING:
        pieces = text_diff.word_diff(item.quote or item.base_text, item.proposed_text)
    return InputRow(input=item, author_label=label, is_own=is_own, passage_gone=gone, pieces=pieces)


def own_organization_ids(user: User | AnonymousUser | None) -> set[int]:
    from organizations.models import Membership

    if user is None or not user.is_authenticated:
        return set()
    return set(Membership.objects.approved().filter(user=user).values_list("organization_id", flat=True))


@dataclass
class ConsultationPage:
    consultation: Consultation
    parts: list[Part]
    document_inputs: list[InputRow]


def consultation_page(*, user: User | AnonymousUser | None, pk: int) -> ConsultationPage:
    """The document with each part's inputs this user may see (Consultation.DoesNotExist if hidden)."""
    consultation = (
        Consultation.objects.visible_to(user)
        .select_related("letter__addressee", "recommendation", "convening")
        .get(pk=pk)
    )
    parts = parts_of(consultation)
    count_versions(parts)
    by_key = {p.key: p for p in parts}
    own = own_organization_ids(user)
    inputs = Input.objects.visible_to(user).filter(consultation=consultation).select_related("organization")
    document: list[InputRow] = []
    for item in inputs:
        part = by_key.get(item.part)
        row = input_row(item, user=user, own_organizations=own, text=part.text if part else "")
        (part.inputs if part else document).append(row)
    return ConsultationPage(consultation=consultation, parts=parts, document_inputs=document)


def consultation_list(*, user: User | AnonymousUser | None) -> QuerySet[Consultation]:
    """What is open for inputs now, for this user."""
    return (
        Consultation.objects.visible_to(user)
        .open()
        .select_related("letter", "recommendation__convening", "convening")
        .order_by("closes_on", "-opened_at")
    )


# --- The menu's counts ---------------------------------------------------------------------------

COUNTS_TIMEOUT = 60  # seconds: a count a minute old is good enough for a menu; services clear it
COUNTS_KEY = "consultations:menu-counts:{audience}:{today}"
AUDIENCES = ("secretariat", "network", "public")


def _audience(user: User | AnonymousUser | None) -> str:
    if is_secretariat(user):
        return "secretariat"
    return "network" if is_network_member(user) else "public"


def open_for_signature(*, user: User | AnonymousUser | None, today: dt.date | None = None) -> QuerySet[Letter]:
    return letters_open_for_signature(user=user, today=today)


def menu_counts(*, user: User | AnonymousUser | None) -> dict[str, int]:
    """{"inputs": n, "signature": n, "consult": 0 or 1}: the same for everyone of one audience
    (visibility depends on being secretariat or a network member only), so cached per audience and
    day; "consult" says whether the reader sees consultations at all."""
    audience = _audience(user)
    today = portal_today()
    key = COUNTS_KEY.format(audience=audience, today=today.isoformat())
    counts = cache.get(key)
    if counts is None:
        counts = {
            "inputs": consultation_list(user=user).count(),
            "signature": open_for_signature(user=user, today=today).count(),
        }
        cache.set(key, counts, COUNTS_TIMEOUT)
    return {**counts, "consult": int(audience != "public")}


def menu_counts_forget() -> None:
    today = portal_today().isoformat()
    cache.delete_many([COUNTS_KEY.format(audience=a, today=today) for a in AUDIENCES])


# --- The secretariat's worklist --------------------------------------------------------------


def moderation_rows(*, user: User | AnonymousUser | None) -> list[InputRow]:
    """The moderation queue's rows. A quoted passage is checked on the document's own page, where
    its text is read; the queue reads no document (its queries stay constant)."""
    return [
        input_row(item, user=user, own_organizations=set(), text=item.base_text)
        for item in inputs_awaiting_moderation(user=user)
    ]


def inputs_awaiting_moderation(*, user: User | AnonymousUser | None) -> QuerySet[Input]:
    """Inputs nobody approved, hid or marked as spam yet, oldest first (empty outside the secretariat)."""
    if not is_secretariat(user):
        return Input.objects.none()
    return (
        Input.objects.visible_to(user)
        .awaiting_moderation()
        .select_related("organization", "consultation", "author")
        .order_by("created_at", "pk")
    )


def letters_closing_this_week(*, user: User | AnonymousUser | None, today: dt.date | None = None) -> QuerySet[Letter]:
    """Letters open for signature whose window closes within seven days from today, soonest first."""
    today = today or portal_today()
    return (
        open_for_signature(user=user, today=today)
        .filter(closes_on__lte=today + dt.timedelta(days=7))
        .select_related("addressee")
        .order_by("closes_on", "title")
    )


def brief_draft(*, convening: Any, include_unpublished: bool = False, **kwargs: Any) -> BriefDraft | None:
    """The brief PDF's draft for ``convening`` (``events.briefs``' provider): the latest published
    brief consultation; with ``include_unpublished`` (the secretariat's preview), the latest one
    circulated, open or closed. Two queries: the consultation, its selection."""
    consultations = Consultation.objects.filter(kind=Consultation.Kind.BRIEF, convening=convening)
    if not include_unpublished:
        consultations = consultations.filter(published_at__isnull=False)
    consultation = consultations.order_by("-opened_at", "-pk").first()
    if consultation is None:
        return None
    selection = tuple(consultation.selection.order_by("number").values_list("pk", flat=True))
    return BriefDraft(
        text=consultation.text, recommendation_ids=selection, published=consultation.published_at is not None
    )
