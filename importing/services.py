"""Write a parsed summary into the database: a new draft convening, or an update of a draft in place.

Re-importing is keyed on numbers (recommendations, sub-item letters, paragraphs, footnotes) and
positions (key themes, sessions, next steps), so a corrected document updates the rows staff
already link to instead of duplicating them. A published convening is never imported over: its
references are cited outside the portal. Recommendations promoted by staff from a paragraph are not
in the document, so a re-import keeps them.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Convening, Footnote, KeyTheme, NextStep, Paragraph, Participation, Session
from events.services import convening_content_changed, convening_publish
from gsx_portal.history import history_actor
from organizations.models import Organization
from recommendations.models import Addressee, Recommendation, RecommendationLink, RecurrenceSuggestion, SubItem, Theme
from recommendations.services import (
    PromotionRefused,
    recommendation_promote,
    recurrence_suggestion_confirm,
    recurrence_suggestions_enqueue,
)

from .models import DocumentRead
from .parser import ParseResult, Problem
from .readers import DocumentError, read_upload

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

__all__ = [
    "AcceptedOwner",
    "AcceptedParticipant",
    "AcceptedProposal",
    "AcceptedSuggestions",
    "ImportDiff",
    "ImportMetadata",
    "ImportPreview",
    "ImportRefused",
    "ImportTarget",
    "PartDiff",
    "convening_find_previous_import",
    "convening_import",
    "convening_import_diff",
    "document_read_fail",
    "document_read_retry",
    "document_read_run",
    "document_read_start",
    "import_preview",
    "import_target",
    "problem_excerpts",
    "result_counts",
    "source_sha256",
]


logger = logging.getLogger(__name__)

# How long a read (its upload and its text) is kept: enough to come back to the preview later in
# the day; an uploaded summary not yet confirmed should not linger in the database.
READ_KEPT_FOR = timedelta(days=1)


def document_read_start(*, user: User, filename: str, data: bytes, into: Convening | None = None) -> DocumentRead:
    """Keep an upload that passed the cheap checks and have it read by the ``document_read`` task
    (after commit; eagerly in the web process without a broker). Deletes the user's old reads."""
    with transaction.atomic():
        DocumentRead.objects.filter(user=user, created_at__lt=timezone.now() - READ_KEPT_FOR).delete()
        read = DocumentRead.objects.create(user=user, filename=filename[:255], data=data, into=into)
        transaction.on_commit(lambda: _enqueue(read.pk))
    return read


def _enqueue(read_id: Any) -> None:
    from .tasks import document_read

    document_read.apply_async(kwargs={"read_id": str(read_id)})


def document_read_retry(*, read: DocumentRead) -> DocumentRead:
    """Read a failed (or lost) read again from its kept upload; a finished one is left alone."""
    with transaction.atomic():
        claimed = (
            DocumentRead.objects.filter(pk=read.pk, state__in=[DocumentRead.State.FAILED, DocumentRead.State.PENDING])
            .exclude(data=b"")
            .update(state=DocumentRead.State.PENDING, error="", started_at=None, created_at=timezone.now())
        )
        if claimed:
            transaction.on_commit(lambda: _enqueue(read.pk))
    read.refresh_from_db()
    return read


def document_read_run(*, read_id: str) -> dict[str, Any]:
    """The task's work: read the kept upload within ``IMPORT_READ_SECONDS``, keep the text (and
    drop the upload) or the reason it was refused."""
    with transaction.atomic():
        read = DocumentRead.objects.select_for_update().filter(pk=read_id).first()
        if read is None or read.state != DocumentRead.State.PENDING:
            return {"read_id": read_id, "state": read.state if read else "gone"}
        if read.started_at is not None and not read.is_lost:  # a second delivery while it runs
            return {"read_id": read_id, "state": read.state}
        read.started_at = timezone.now()
        read.attempts += 1
        read.save(update_fields=["started_at", "attempts"])
    data = bytes(read.data)
    try:
        reading = read_upload(filename=read.filename, data=data, time_limit=settings.IMPORT_READ_SECONDS)
    except DocumentError as exc:
        return document_read_fail(read_id=read_id, message=exc.message)
    except Exception:  # a reader bug must end as a message the person can act on, not a pending page
        logger.exception("Reading upload %s failed", read_id)
        return document_read_fail(
            read_id=read_id, message=_("This file could not be read because of an error on our side. Try again.")
        )
    DocumentRead.objects.filter(pk=read_id, state=DocumentRead.State.PENDING).update(
        state=DocumentRead.State.READY,
        text=reading.text,
        accepted_changes_only=reading.accepted_changes_only,
        data=b"",
        error="",
        finished_at=timezone.now(),
    )
    return {"read_id": read_id, "state": DocumentRead.State.READY}


def document_read_fail(*, read_id: str, message: str) -> dict[str, Any]:
    DocumentRead.objects.filter(pk=read_id, state=DocumentRead.State.PENDING).update(
        state=DocumentRead.State.FAILED, error=message, finished_at=timezone.now()
    )
    return {"read_id": read_id, "state": DocumentRead.State.FAILED}


class ImportRefused(Exception):
    """An import that must not happen; ``message`` says why, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------------------------
# Metadata: what the parser guessed, as corrected by staff
# --------------------------------------------------------------------------------------------


@dataclass
class ImportMetadata:
    title: str
    start_date: date | None
    kind: str = Convening.Kind.ROUNDTABLE
    end_date: date | None = None
    summary_title: str = ""
    city: str = ""
    venue: str = ""
    country: str = ""
    host_conference: str = ""
    rule: str = Convening.Rule.NOT_STATED
    # None leaves a re-imported convening's convenors as they are; a list replaces them.
    convenors: list[Organization] | None = None
    # Convenors not in the directory yet, by name: added as unverified organizations.
    new_convenors: list[str] = field(default_factory=list)
    convenor_visibility: str = Participation.Visibility.PUBLIC
    source_sha256: str = ""

    @classmethod
    def from_result(cls, result: ParseResult, **overrides: Any) -> ImportMetadata:
        """The parser's guesses, cut to the model's field lengths, with ``overrides`` on top."""
        guessed = cls(
            title=_clip(result.title, "title"),
            start_date=result.start_date,
            kind=result.kind or Convening.Kind.ROUNDTABLE,
            end_date=result.end_date,
            summary_title=_clip(result.summary_title or "", "summary_title"),
            city=_clip(result.city or "", "city"),
            venue=_clip(result.venue or "", "venue"),
            country=_clip(result.country or "", "country"),
            host_conference=_clip(result.host_conference or "", "host_conference"),
        )
        return replace(guessed, **overrides)

    @classmethod
    def from_convening(cls, convening: Convening, **overrides: Any) -> ImportMetadata:
        """A draft's metadata as staff left it: a re-import keeps their corrections."""
        kept = cls(
            title=convening.title,
            start_date=convening.start_date,
            kind=convening.kind,
            end_date=convening.end_date,
            summary_title=convening.summary_title,
            city=convening.city,
            venue=convening.venue,
            country=convening.country,
            host_conference=convening.host_conference,
            rule=convening.rule,
        )
        return replace(kept, **overrides)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete column, not a relation's reverse side
    return field


def _clip(text: str, field_name: str, model: type[models.Model] = Convening) -> str:
    limit = _field(model, field_name).max_length or 0
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _as_metadata(metadata: dict[str, Any] | ImportMetadata) -> ImportMetadata:
    if isinstance(metadata, ImportMetadata):
        return metadata
    known = {f.name for f in fields(ImportMetadata)}
    unknown = set(metadata) - known
    if unknown:
        raise TypeError(f"unknown metadata: {', '.join(sorted(unknown))}")
    return ImportMetadata(**metadata)


def _validate(meta: ImportMetadata) -> None:
    if not meta.title.strip():
        raise ImportRefused(_("The convening needs a title."))
    if meta.start_date is None:
        raise ImportRefused(_("No date was found in the document: give the convening's start date."))
    if meta.end_date is not None and meta.end_date < meta.start_date:
        raise ImportRefused(_("The end date is before the start date."))
    if meta.kind not in Convening.Kind.values:
        raise ImportRefused(_("Unknown kind of convening: %(kind)s.") % {"kind": meta.kind})
    if meta.rule not in Convening.Rule.values:
        raise ImportRefused(_("Unknown rule: %(rule)s.") % {"rule": meta.rule})
    for name in ("title", "summary_title", "city", "venue", "country", "host_conference"):
        limit = _field(Convening, name).max_length or 0
        if len(getattr(meta, name)) > limit:
            raise ImportRefused(
                _("The %(field)s is longer than %(limit)s characters.")
                % {"field": name.replace("_", " "), "limit": limit}
            )


def source_sha256(text: str) -> str:
    """The key that recognises a document imported before, whatever its line endings."""
    normalised = "\n".join(line.rstrip() for line in text.strip().replace("\r\n", "\n").split("\n"))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# The rows a parse result stands for (shared by the import and its diff, so both always agree)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PlannedRecommendation:
    headline: str
    body: str
    sub_items: dict[str, str]


@dataclass(frozen=True)
class _Plan:
    overview: str
    key_themes: dict[int, str]
    recommendations: dict[int, _PlannedRecommendation]
    sessions: dict[int, str]
    # number → (session order, text)
    paragraphs: dict[int, tuple[int, str]]
    footnotes: dict[int, str]
    # order → (text, number of the paragraph it was found in)
    next_steps: dict[int, tuple[str, int | None]] = field(default_factory=dict)


# Far above any real summary, far below the database's integer limit.
_NUMBER_LIMIT = 99_999
_HEADLINE_LIMIT = Recommendation._meta.get_field("headline").max_length or 500


def _plan(result: ParseResult) -> _Plan:
    """Footnote markers go back into the Markdown fields as ``[^n]`` (events.text links them);
    plain-text fields (titles, headlines, next steps) would show them raw, so they get none."""
    recommendations: dict[int, _PlannedRecommendation] = {}
    for rec in result.recommendations:
        if not 0 < rec.number <= _NUMBER_LIMIT or rec.number in recommendations:
            raise ImportRefused(_("Recommendation number %(n)s appears twice or is out of range.") % {"n": rec.number})
        headline, body = (
            " ".join(rec.headline.split()),
            result.marked_text(rec.body, "recommendation", rec.number, field="body"),
        )
        if len(headline) > _HEADLINE_LIMIT:
            # A headline the parser could not cut short: keep every word, the rest opens the body.
            cut = headline[: _HEADLINE_LIMIT - 1].rsplit(" ", 1)[0]
            body = f"{headline[len(cut) :].strip()}\n\n{body}".strip()
            headline = f"{cut}…"
        sub_items: dict[str, str] = {}
        for item in rec.sub_items:
            letter = item.letter.lower()[:3]
            if letter in sub_items:
                raise ImportRefused(
                    _("Recommendation %(n)s has sub-item %(letter)s twice.") % {"n": rec.number, "letter": letter}
                )
            sub_items[letter] = result.marked_text(item.text, "sub_item", rec.number, item.letter)
        recommendations[rec.number] = _PlannedRecommendation(headline=headline, body=body, sub_items=sub_items)

    sessions: dict[int, str] = {}
    paragraphs: dict[int, tuple[int, str]] = {}
    for order, session in enumerate(result.sessions, start=1):
        sessions[order] = _clip(session.title or "", "title", Session)
        for paragraph in session.paragraphs:
            if not 0 < paragraph.number <= _NUMBER_LIMIT or paragraph.number in paragraphs:
                raise ImportRefused(
                    _("Paragraph number %(n)s appears twice or is out of range.") % {"n": paragraph.number}
                )
            text = result.marked_text(paragraph.text, "paragraph", paragraph.number)
            paragraphs[paragraph.number] = (order, text)

    footnotes: dict[int, str] = {}
    for note in result.footnotes:
        if not 0 < note.number <= _NUMBER_LIMIT or note.number in footnotes:
            raise ImportRefused(_("Footnote %(n)s appears twice or is out of range.") % {"n": note.number})
        footnotes[note.number] = note.text

    sources = list(result.next_step_paragraphs) + [None] * len(result.next_steps)
    return _Plan(
        overview=result.marked_text(result.overview, "overview"),
        key_themes={
            order: result.marked_text(text, "key_theme", order) for order, text in enumerate(result.key_themes, start=1)
        },
        recommendations=recommendations,
        sessions=sessions,
        paragraphs=paragraphs,
        footnotes=footnotes,
        next_steps={order: (text, sources[order - 1]) for order, text in enumerate(result.next_steps, start=1)},
    )


# --------------------------------------------------------------------------------------------
# What a re-import would change
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartDiff:
    """Keys (``R2``, ``R2.b``, ``¶5``, ``[1]``, ``theme 3``) added, changed and removed in one part."""

    part: str
    label: str
    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ImportDiff:
    fields: list[FieldChange]
    parts: list[PartDiff]
    # Promoted recommendations are not in the document; a re-import keeps them.
    kept: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.fields) or any(part.has_changes for part in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": [{"name": f.name, "old": f.old, "new": f.new} for f in self.fields],
            "parts": {p.part: {"added": p.added, "changed": p.changed, "removed": p.removed} for p in self.parts},
            "kept": self.kept,
        }


def _compare(part: str, label: str, old: dict[Any, Any], new: dict[Any, Any], key: Any) -> PartDiff:
    return PartDiff(
        part=part,
        label=label,
        added=[key(k) for k in sorted(new.keys() - old.keys())],
        changed=[key(k) for k in sorted(new.keys() & old.keys()) if old[k] != new[k]],
        removed=[key(k) for k in sorted(old.keys() - new.keys())],
    )


def _str(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


_METADATA_FIELDS = (
    "title",
    "kind",
    "start_date",
    "end_date",
    "summary_title",
    "city",
    "venue",
    "country",
    "host_conference",
    "rule",
)


def convening_import_diff(
    *, result: ParseResult, convening: Convening, metadata: dict[str, Any] | ImportMetadata | None = None
) -> ImportDiff:
    """What importing ``result`` into the draft ``convening`` would add, change and remove.

    With ``metadata`` the convening's own fields are compared too.
    """
    plan = _plan(result)
    changes: list[FieldChange] = []
    if metadata is not None:
        meta = _as_metadata(metadata)
        for name in _METADATA_FIELDS:
            old, new = _str(getattr(convening, name)), _str(getattr(meta, name))
            if old != new:
                label = str(_field(Convening, name).verbose_name)
                changes.append(FieldChange(name=name, label=label, old=old, new=new))
    if convening.overview != plan.overview:
        changes.append(
            FieldChange(
                name="overview",
                label=str(Convening._meta.get_field("overview").verbose_name),
                old=convening.overview,
                new=plan.overview,
            )
        )

    recommendations = list(convening.recommendations.prefetch_related("sub_items"))
    promoted = _promoted_numbers(convening)
    old_recs = {
        r.number: (r.headline, r.body)
        for r in recommendations
        if r.number in plan.recommendations or r.number not in promoted
    }
    old_items = {
        (r.number, s.letter): s.text
        for r in recommendations
        if r.number in plan.recommendations or r.number not in promoted
        for s in r.sub_items.all()
    }
    new_items = {(n, letter): text for n, rec in plan.recommendations.items() for letter, text in rec.sub_items.items()}
    old_paragraphs = {
        p.number: (p.session.order if p.session else None, p.text)
        for p in convening.paragraphs.select_related("session")
    }
    parts = [
        _compare(
            "key_themes",
            _("Key themes"),
            dict(convening.key_themes.values_list("order", "text")),
            plan.key_themes,
            lambda k: _("theme %(n)s") % {"n": k},
        ),
        _compare(
            "recommendations",
            _("Recommendations"),
            old_recs,
            {n: (r.headline, r.body) for n, r in plan.recommendations.items()},
            lambda k: f"R{k}",
        ),
        _compare("sub_items", _("Sub-items"), old_items, new_items, lambda k: f"R{k[0]}.{k[1]}"),
        _compare(
            "sessions",
            _("Sessions"),
            dict(convening.sessions.values_list("order", "title")),
            plan.sessions,
            lambda k: _("session %(n)s") % {"n": k},
        ),
        _compare("paragraphs", _("Paragraphs"), old_paragraphs, plan.paragraphs, lambda k: f"¶{k}"),
        _compare(
            "footnotes",
            _("Footnotes"),
            dict(convening.footnotes.values_list("number", "text")),
            plan.footnotes,
            lambda k: f"[{k}]",
        ),
        _compare(
            "next_steps",
            _("Next steps"),
            dict(convening.next_steps.values_list("order", "text")),
            {order: text for order, (text, _source) in plan.next_steps.items()},
            lambda k: _("step %(n)s") % {"n": k},
        ),
    ]
    kept = [f"R{n}" for n in sorted(promoted - plan.recommendations.keys())]
    return ImportDiff(fields=changes, parts=parts, kept=kept)


# --------------------------------------------------------------------------------------------
# Suggestions accepted in the preview (importing.selectors offers them; the preview's form says
# which were accepted and how they were changed)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedParticipant:
    """An organization's part in the convening: a directory ``organization``, or a new one by ``name``."""

    role: str
    visibility: str = Participation.Visibility.CONFIDENTIAL
    organization: Organization | None = None
    name: str = ""


@dataclass(frozen=True)
class AcceptedOwner:
    next_step: int  # the next step's order, 1-based
    organization: Organization | None = None
    name: str = ""  # a new organization, when ``organization`` is None


@dataclass(frozen=True)
class AcceptedProposal:
    """A proposal found in paragraph ``paragraph``, to become a recommendation citing it."""

    paragraph: int
    headline: str
    body: str
    sub_items: tuple[tuple[str, str], ...] = ()  # (letter, text)


@dataclass(frozen=True)
class AcceptedRestatement:
    """The preview's "this looks like …/R3 — restates?", confirmed: the earlier ``candidate``
    (read through ``visible_to`` by the form), with the score and phrases that suggested it."""

    candidate: Recommendation
    score: float
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class AcceptedSuggestions:
    """What staff accepted. A recommendation number missing from ``themes`` (``addressees``)
    keeps its tags; one present gets exactly those listed. ``restates`` are the restatements
    confirmed at once, by recommendation number."""

    themes: dict[int, list[Theme]] = field(default_factory=dict)
    addressees: dict[int, list[Addressee]] = field(default_factory=dict)
    participants: list[AcceptedParticipant] = field(default_factory=list)
    owners: list[AcceptedOwner] = field(default_factory=list)
    proposals: list[AcceptedProposal] = field(default_factory=list)
    restates: dict[int, AcceptedRestatement] = field(default_factory=dict)


_NAME_LIMIT = Organization._meta.get_field("name").max_length or 200


def _validate_accepted(plan: _Plan, accepted: AcceptedSuggestions) -> None:
    """Refuse, before anything is written, what the document does not hold: a tampered form
    ends as a message, never as half a draft."""
    unknown = sorted((accepted.themes.keys() | accepted.addressees.keys()) - plan.recommendations.keys())
    if unknown:
        raise ImportRefused(_("The document has no recommendation %(n)s to tag.") % {"n": unknown[0]})
    unknown = sorted(accepted.restates.keys() - plan.recommendations.keys())
    if unknown:
        raise ImportRefused(_("The document has no recommendation %(n)s to link.") % {"n": unknown[0]})
    for participant in accepted.participants:
        if participant.role not in Participation.Role.values:
            raise ImportRefused(_("Unknown role: %(role)s.") % {"role": participant.role})
        if participant.visibility not in Participation.Visibility.values:
            raise ImportRefused(_("Unknown visibility: %(v)s.") % {"v": participant.visibility})
    for owner in accepted.owners:
        if owner.next_step not in plan.next_steps:
            raise ImportRefused(_("The document has no next step %(n)s.") % {"n": owner.next_step})
    named_ones: list[AcceptedParticipant | AcceptedOwner] = [*accepted.participants, *accepted.owners]
    for named in named_ones:
        if named.organization is None and not 0 < len(" ".join(named.name.split())) <= _NAME_LIMIT:
            raise ImportRefused(
                _("A new organization needs a name of at most %(limit)s characters.") % {"limit": _NAME_LIMIT}
            )
    for proposal in accepted.proposals:
        if proposal.paragraph not in plan.paragraphs:
            raise ImportRefused(_("The document has no paragraph %(n)s.") % {"n": proposal.paragraph})
        letters = [letter for letter, _text in proposal.sub_items]
        if len(set(letters)) != len(letters):
            raise ImportRefused(_("A proposal has the same sub-item letter twice."))


# Lower ranks first: the stronger role, and the more protective visibility last.
_ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(Participation.Role.values)}
_VISIBILITY_RANK: dict[str, int] = {visibility: rank for rank, visibility in enumerate(Participation.Visibility.values)}


def _apply_accepted(
    *, convening: Convening, accepted: AcceptedSuggestions, convenors: set[int], user: User | AnonymousUser | None
) -> None:
    """Tags, participants, owners and proposals as accepted. ``convenors`` are the organizations
    the form's convenor fields just made convenors: named again as a participant, one
    participation keeps the stronger role and the more protective visibility."""
    recommendations = {r.number: r for r in convening.recommendations.all()}
    for number, themes in accepted.themes.items():
        recommendations[number].themes.set(themes)
    for number, addressees in accepted.addressees.items():
        recommendations[number].addressees.set(addressees)

    for organization, role, visibility in _participations(convening=convening, accepted=accepted, convenors=convenors):
        Participation.objects.update_or_create(
            convening=convening, organization=organization, defaults={"role": role, "visibility": visibility}
        )

    steps = {step.order: step for step in convening.next_steps.all()}
    for owner in accepted.owners:
        # Added, never replacing: staff may have named owners on the draft since the last import.
        steps[owner.next_step].owners.add(owner.organization or _organization_named(owner.name))

    for proposal in accepted.proposals:
        _proposal_create(convening=convening, proposal=proposal, user=user)

    for number, restatement in accepted.restates.items():
        _restatement_confirm(recommendation=recommendations[number], restatement=restatement, user=user)


def _restatement_confirm(
    *, recommendation: Recommendation, restatement: AcceptedRestatement, user: User | AnonymousUser | None
) -> None:
    """A confirmed suggestion and its *restates* link, by the secretariat screen's own service, so
    the pair reads as decided there and is never suggested again. A pair already linked (a draft
    imported into again) is left as it is."""
    candidate = restatement.candidate
    if candidate.convening_id == recommendation.convening_id:
        raise ImportRefused(_("A recommendation cannot restate one of its own convening."))
    if RecommendationLink.objects.filter(
        from_recommendation__in=(recommendation, candidate), to_recommendation__in=(recommendation, candidate)
    ).exists():
        return
    suggestion, _created = RecurrenceSuggestion.objects.update_or_create(
        recommendation=recommendation,
        candidate=candidate,
        defaults={
            "score": restatement.score,
            "shared": list(restatement.shared),
            "state": RecurrenceSuggestion.State.SUGGESTED,
        },
    )
    recurrence_suggestion_confirm(suggestion=suggestion, user=user)


def _participations(
    *, convening: Convening, accepted: AcceptedSuggestions, convenors: set[int]
) -> list[tuple[Organization, str, str]]:
    """(organization, role, visibility) per organization accepted: one participation each, so two
    rows naming the same body (or a row and the convenor field) keep the stronger role and the
    more protective visibility."""
    merged: dict[int, tuple[Organization, str, str]] = {}
    for participant in accepted.participants:
        organization = participant.organization or _organization_named(participant.name)
        role, visibility = participant.role, participant.visibility
        if organization.pk in merged:
            _org, known_role, known_visibility = merged[organization.pk]
        elif organization.pk in convenors:
            known_role, known_visibility = (
                Participation.objects.filter(convening=convening, organization=organization)
                .values_list("role", "visibility")
                .get()
            )
        else:
            merged[organization.pk] = (organization, role, visibility)
            continue
        role = min(role, known_role, key=_ROLE_RANK.__getitem__)
        visibility = max(visibility, known_visibility, key=_VISIBILITY_RANK.__getitem__)
        merged[organization.pk] = (organization, role, visibility)
    return list(merged.values())


def _proposal_create(*, convening: Convening, proposal: AcceptedProposal, user: User | AnonymousUser | None) -> None:
    """The proposal as a recommendation citing its paragraph; importing the document again finds
    the one made before (same paragraph, same text) and brings it up to date instead."""
    paragraph = convening.paragraphs.get(number=proposal.paragraph)
    body = proposal.body.strip()
    recommendation = (
        Recommendation.objects.filter(convening=convening, source_paragraphs=paragraph, body=body)
        .order_by("number")
        .first()
    )
    if recommendation is None:
        try:
            recommendation = recommendation_promote(
                paragraphs=[paragraph], headline=proposal.headline, body=body, user=user
            )
        except PromotionRefused as exc:
            raise ImportRefused(exc.message) from exc
    else:
        headline = " ".join(proposal.headline.split())
        if not headline or len(headline) > _HEADLINE_LIMIT:
            raise ImportRefused(
                _("A proposal's headline must have 1 to %(limit)s characters.") % {"limit": _HEADLINE_LIMIT}
            )
        if _set(recommendation, {"headline": headline}):
            _save(recommendation, user, update_fields=["headline", "updated_at"])
    _sync_by_key(
        existing={item.letter: item for item in recommendation.sub_items.all()},
        wanted={letter: {"text": text} for letter, text in proposal.sub_items},
        create=lambda letter, v: SubItem(recommendation=recommendation, letter=letter, **v),
        user=user,
    )


# --------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------

_KIND_CODES = {
    Convening.Kind.CIVIL_SOCIETY_DAY: "CSD",
    Convening.Kind.ROUNDTABLE: "RT",
    Convening.Kind.WORKSHOP: "WS",
    Convening.Kind.SIDE_EVENT: "SE",
    Convening.Kind.WEBINAR: "WEB",
}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _city_code(city: str) -> str:
    words = re.findall(r"[A-Za-z]+", _ascii(city))
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words[:3]).upper()


def _unique(base: str, taken: set[str], limit: int) -> str:
    base = base[:limit]
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = f"{base[: limit - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        n += 1


def _code_and_slug(meta: ImportMetadata) -> tuple[str, str]:
    """A citable code such as ``CSD-2017-VIE`` and a slug such as ``csd-2017-vienna``, both unique."""
    assert meta.start_date is not None  # checked by _validate
    prefix = _KIND_CODES.get(Convening.Kind(meta.kind), "GSX")
    year = meta.start_date.year
    code_base = "-".join(part for part in (prefix, str(year), _city_code(meta.city)) if part)
    slug_base = slugify(_ascii(f"{prefix} {year} {meta.city}")) or slugify(f"{prefix}-{year}")
    code_limit = Convening._meta.get_field("code").max_length or 40
    slug_limit = Convening._meta.get_field("slug").max_length or 120
    codes = set(Convening.objects.filter(code__startswith=code_base[:code_limit]).values_list("code", flat=True))
    slugs = set(Convening.objects.filter(slug__startswith=slug_base[:slug_limit]).values_list("slug", flat=True))
    return _unique(code_base, codes, code_limit), _unique(slug_base, slugs, slug_limit)


def _save(obj: models.Model, user: User | AnonymousUser | None, update_fields: list[str] | None = None) -> None:
    # Outside a request (the management command) simple-history learns the actor from here.
    history_actor(obj, user=user).save(update_fields=update_fields)


def _set(obj: models.Model, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _sync_by_key(
    *,
    existing: dict[Any, models.Model],
    wanted: dict[Any, dict[str, Any]],
    create: Any,
    user: User | AnonymousUser | None,
    keep: set[Any] | None = None,
) -> dict[Any, models.Model]:
    """Update rows whose key is wanted, create the missing ones, delete the rest (except ``keep``)."""
    rows: dict[Any, models.Model] = {}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = create(key, values)
            _save(row, user)
        else:
            changed = _set(row, values)
            if changed:
                _save(row, user, update_fields=changed)
        rows[key] = row
    for key, row in existing.items():
        if key not in wanted and key not in (keep or set()):
            history_actor(row, user=user).delete()
    return rows


@transaction.atomic
def convening_import(
    *,
    result: ParseResult,
    metadata: dict[str, Any] | ImportMetadata,
    user: User | AnonymousUser | None,
    into: Convening | None = None,
    publish: bool = False,
    confirm_duplicate: bool = False,
    accepted: AcceptedSuggestions | None = None,
) -> Convening:
    """Create a draft convening with every part of ``result``, or update the draft ``into`` in place,
    with the ``accepted`` suggestions (tags, participants, next-step owners, proposals).

    Raises ``ImportRefused`` (and writes nothing) for a published ``into``, unusable metadata or
    accepted suggestions the document does not hold.
    """
    meta = _as_metadata(metadata)
    _validate(meta)
    plan = _plan(result)
    if accepted is not None:
        _validate_accepted(plan, accepted)
    values: dict[str, Any] = {name: getattr(meta, name) for name in _METADATA_FIELDS}
    values.update(overview=plan.overview, imported_at=timezone.now())
    if meta.source_sha256:
        values["source_sha256"] = meta.source_sha256

    if into is None:
        code, slug = _code_and_slug(meta)
        convening = Convening(code=code, slug=slug, status=Convening.Status.DRAFT, **values)
        # Flagged, not refused: staff may mean a second convening; publishing asks them again.
        convening.duplicate_of = Convening.objects.likely_duplicates_of(convening).order_by("-pk").first()
        _save(convening, user)
    else:
        # Locked so that two imports into the same draft run one after the other.
        convening = Convening.objects.select_for_update().get(pk=into.pk)
        if convening.is_published:
            raise ImportRefused(
                _(
                    "%(code)s is published: its recommendations are cited by their numbers, so it cannot be "
                    "imported over. Import the document as a new draft instead."
                )
                % {"code": convening.code}
            )
        changed = _set(convening, values)
        _save(convening, user, update_fields=[*changed, "updated_at"])

    _sync_parts(convening=convening, plan=plan, user=user)
    convenors: list[Organization] = []
    if meta.convenors is not None or meta.new_convenors:
        convenors = [*(meta.convenors or []), *(_organization_named(name) for name in meta.new_convenors)]
        if meta.convenors is None:
            convenors += [p.organization for p in convening.participations.filter(role=Participation.Role.CONVENOR)]
        _sync_convenors(convening=convening, convenors=convenors, visibility=meta.convenor_visibility)
    if accepted is not None:
        _apply_accepted(convening=convening, accepted=accepted, convenors={o.pk for o in convenors}, user=user)

    if publish:
        convening_publish(convening=convening, confirm_duplicate=confirm_duplicate)  # suggests on publishing
    else:
        if into is not None:
            # A draft's documents can be rendered for staff: their version moves with the re-import.
            convening_content_changed(convening_id=convening.pk)
        recurrence_suggestions_enqueue(convening_id=convening.pk)
    return convening


def _promoted_numbers(convening: Convening) -> set[int]:
    """Recommendations staff promoted from paragraphs: not in the document, so never removed by it."""
    return set(
        Recommendation.objects.filter(convening=convening, source_paragraphs__isnull=False).values_list(
            "number", flat=True
        )
    )


def _sync_parts(*, convening: Convening, plan: _Plan, user: User | AnonymousUser | None) -> None:
    _sync_by_key(
        existing={t.order: t for t in convening.key_themes.all()},
        wanted={order: {"text": text} for order, text in plan.key_themes.items()},
        create=lambda order, v: KeyTheme(convening=convening, order=order, **v),
        user=user,
    )

    sessions = _sync_by_key(
        existing={s.order: s for s in convening.sessions.all()},
        wanted={order: {"title": title} for order, title in plan.sessions.items()},
        create=lambda order, v: Session(convening=convening, order=order, **v),
        user=user,
    )
    paragraphs = _sync_by_key(
        existing={p.number: p for p in convening.paragraphs.all()},
        wanted={
            number: {"session_id": sessions[order].pk, "text": text}
            for number, (order, text) in plan.paragraphs.items()
        },
        create=lambda number, v: Paragraph(convening=convening, number=number, **v),
        user=user,
    )

    recs = _sync_by_key(
        existing={r.number: r for r in convening.recommendations.all()},
        wanted={n: {"headline": r.headline, "body": r.body} for n, r in plan.recommendations.items()},
        create=lambda number, v: Recommendation(convening=convening, number=number, **v),
        user=user,
        keep=_promoted_numbers(convening),
    )
    existing_items: dict[int, dict[str, models.Model]] = {}
    for item in SubItem.objects.filter(recommendation__convening=convening):
        existing_items.setdefault(item.recommendation_id, {})[item.letter] = item
    for number, planned in plan.recommendations.items():
        rec = recs[number]
        _sync_by_key(
            existing=existing_items.get(rec.pk, {}),
            wanted={letter: {"text": text} for letter, text in planned.sub_items.items()},
            create=lambda letter, v, rec=rec: SubItem(recommendation=rec, letter=letter, **v),
            user=user,
        )

    _sync_by_key(
        existing={f.number: f for f in convening.footnotes.all()},
        wanted={number: {"text": text} for number, text in plan.footnotes.items()},
        create=lambda number, v: Footnote(convening=convening, number=number, **v),
        user=user,
    )
    # Owners, due dates and states are added by staff later; a re-import only rewrites the text.
    _sync_by_key(
        existing={s.order: s for s in convening.next_steps.all()},
        wanted={
            order: {"text": text, "source_paragraph_id": paragraphs[source].pk if source in paragraphs else None}
            for order, (text, source) in plan.next_steps.items()
        },
        create=lambda order, v: NextStep(convening=convening, order=order, **v),
        user=user,
    )


def _organization_named(name: str) -> Organization:
    name = " ".join(name.split())
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    limit = Organization._meta.get_field("slug").max_length or 200
    base = (slugify(_ascii(name)) or "organization")[:limit]
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug = _unique(base, taken, limit)
    return Organization.objects.create(name=name, slug=slug)


def _sync_convenors(*, convening: Convening, convenors: list[Organization], visibility: str) -> None:
    wanted = {org.pk for org in convenors}
    Participation.objects.filter(convening=convening, role=Participation.Role.CONVENOR).exclude(
        organization_id__in=wanted
    ).delete()
    for org in convenors:
        Participation.objects.update_or_create(
            convening=convening,
            organization=org,
            defaults={"role": Participation.Role.CONVENOR, "visibility": visibility},
        )


# --------------------------------------------------------------------------------------------
# Finding an earlier import of the same document
# --------------------------------------------------------------------------------------------


def convening_find_previous_import(*, sha256: str, metadata: ImportMetadata) -> Convening | None:
    """The convening this document was imported into before: same text, else same title and date."""
    same_text = (
        Convening.objects.filter(source_sha256=sha256).order_by("-imported_at", "-pk").first() if sha256 else None
    )
    if same_text is not None:
        return same_text
    if not metadata.title or metadata.start_date is None:
        return None
    return (
        Convening.objects.filter(title=metadata.title, start_date=metadata.start_date)
        .exclude(imported_at=None)
        .order_by("-imported_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ImportTarget:
    """Where an import of a document goes: the draft to update (``into``), else a new draft.

    ``previous`` is an earlier import of the same document that is published, so cannot be
    imported over: the screen warns that a second convening would be made; the command refuses,
    or does nothing when the text is the one imported then.
    """

    into: Convening | None
    previous: Convening | None = None


def import_target(*, sha256: str, metadata: ImportMetadata, into: Convening | None = None) -> ImportTarget:
    """The draft chosen by staff (``into``), else the draft this document was imported into
    before, else a new draft; an earlier import that is published is named as ``previous``."""
    if into is not None:
        return ImportTarget(into=into)
    previous = convening_find_previous_import(sha256=sha256, metadata=metadata)
    if previous is None:
        return ImportTarget(into=None)
    if not previous.is_published:
        return ImportTarget(into=previous)
    return ImportTarget(into=None, previous=previous)


@dataclass(frozen=True)
class ImportPreview:
    """What importing a parse result would give, before anything is written."""

    result: ParseResult
    counts: dict[str, int]
    # Each problem in the reader's language, with the source line it points at.
    problems: list[tuple[Problem, str]]
    diff: ImportDiff | None  # what would change in the draft imported into
    error: str = ""  # why the import would be refused


def import_preview(
    *,
    text: str,
    result: ParseResult,
    into: Convening | None,
    metadata: dict[str, Any] | ImportMetadata | None = None,
) -> ImportPreview:
    """The preview the import screen shows and ``import_summary --dry-run`` prints."""
    diff: ImportDiff | None = None
    error = ""
    if into is not None:
        try:
            diff = convening_import_diff(result=result, convening=into, metadata=metadata)
        except ImportRefused as exc:
            error = exc.message
    return ImportPreview(
        result=result,
        counts=result_counts(result),
        problems=problem_excerpts(text=text, problems=result.problems),
        diff=diff,
        error=error,
    )


# --------------------------------------------------------------------------------------------
# Preview helpers
# --------------------------------------------------------------------------------------------


def result_counts(result: ParseResult) -> dict[str, int]:
    return {
        "key_themes": len(result.key_themes),
        "recommendations": len(result.recommendations),
        "sub_items": sum(len(r.sub_items) for r in result.recommendations),
        "sessions": len(result.sessions),
        "paragraphs": sum(len(s.paragraphs) for s in result.sessions),
        "footnotes": len(result.footnotes),
        "next_steps": len(result.next_steps),
        "problems": len(result.problems),
    }


def problem_message(problem: Problem) -> str:
    """The problem in the reader's language: the parser, being pure, writes English and keeps the
    untranslated template and its parameters beside it."""
    if not problem.template:
        return problem.message
    translated = _(problem.template)
    return translated % dict(problem.params) if problem.params else translated


def problem_excerpts(*, text: str, problems: list[Problem], width: int = 160) -> list[tuple[Problem, str]]:
    """Each problem, in the reader's language, with the source line it points at, shortened to
    ``width`` characters."""
    lines = text.split("\n")
    out: list[tuple[Problem, str]] = []
    for problem in problems:
        excerpt = ""
        # The line itself, or the next non-blank one when the problem points at a gap.
        for candidate in lines[max(problem.line - 1, 0) : problem.line + 2]:
            if candidate.strip():
                excerpt = " ".join(candidate.split())
                break
        if len(excerpt) > width:
            excerpt = excerpt[: width - 1].rstrip() + "…"
        out.append((replace(problem, message=problem_message(problem)), excerpt))
    return out
