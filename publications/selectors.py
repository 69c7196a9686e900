"""Reads that turn the database into document data for one audience.

Every row reaches a document through the models' ``visible_to`` querysets, asked on behalf of a
*representative user* of the audience, so a PDF holds exactly what that audience may see on the
site, and a file made for one audience can be served to anyone in it. Endorsements are listed
only when active and named, for every audience: a PDF travels further than a page does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from events.briefs import BriefDraft, brief_draft
from events.models import Convening, NextStep, Participation, Session
from events.selectors import next_step_owners
from gsx_portal.clock import portal_today
from organizations.models import is_network_member, is_secretariat
from recommendations.models import Addressee, Endorsement, Letter, Recommendation, StatusUpdate, SubItem, Theme
from recommendations.references import format_reference
from recommendations.selectors import restatement_chains

from .brief_fit import plain
from .documents import (
    AskEntry,
    BriefData,
    FootnoteEntry,
    LetterData,
    LetterRecommendation,
    NextStepEntry,
    ParagraphEntry,
    ParticipantEntry,
    RecommendationEntry,
    SessionEntry,
    SignatoryEntry,
    SubItemEntry,
    SummaryData,
    content_digest,
)
from .models import Audience, RenderedDocument, WorkerHeartbeat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def audience_for(user: User | AnonymousUser | None) -> Audience:
    if is_secretariat(user):
        return Audience.SECRETARIAT
    if is_network_member(user):
        return Audience.NETWORK
    return Audience.PUBLIC


def audience_user(audience: str) -> Any:
    """An unsaved stand-in whose ``visible_to`` answers are those of every member of the audience."""
    if audience == Audience.PUBLIC:
        return AnonymousUser()
    user = User(username=f"audience:{audience}", is_active=True, is_staff=audience == Audience.SECRETARIAT)
    if audience == Audience.NETWORK:
        # is_network_member() memoises its answer on the user; a stand-in has no membership rows.
        user._gsx_is_network_member = True  # type: ignore[attr-defined]  # memo attribute, see organizations
    return user


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _today() -> str:
    return date_format(portal_today())


def _dates(convening: Convening) -> str:
    start, end = convening.start_date, convening.end_date
    if end and end != start:
        return f"{date_format(start)} – {date_format(end)}"
    return date_format(start)


def _recommendations(user: User | AnonymousUser | None) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.visible_to(user)
        .select_related("convening")
        .annotate(
            endorsement_count=Count("endorsements", filter=Endorsement.active_condition("endorsements")),
            # A subquery, not Max() over a join: a second join would multiply the count above.
            last_update=Subquery(
                StatusUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-date").values("date")[:1]
            ),
        )
        .prefetch_related(
            Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")),
            Prefetch("addressees", queryset=Addressee.objects.order_by("name")),
        )
    )


@dataclasses.dataclass(frozen=True)
class FirstAsk:
    year: str
    reference: str


def first_asks(recommendations: list[Recommendation]) -> dict[int, FirstAsk]:
    """For each of ``recommendations`` that restates an earlier ask, when and where that was first made.

    Only *published* links count, whatever the audience: a document travels further than a page,
    and a draft's year or reference must never reach it (nor a count derived from it). Two
    queries whatever the number: the restatement links, then the dates of the chains' members.
    """
    wanted = {rec.pk for rec in recommendations}
    chains = [chain for chain in restatement_chains(user=AnonymousUser()) if chain & wanted]
    if not chains:
        return {}
    members = {
        pk: (start, code, number, pk)
        for pk, start, code, number in Recommendation.objects.published()
        .filter(pk__in=set().union(*chains))
        .values_list("pk", "convening__start_date", "convening__code", "number")
    }
    found: dict[int, FirstAsk] = {}
    for chain in chains:
        known = [members[pk] for pk in chain if pk in members]
        if not known:  # unpublished between the two queries
            continue
        start, code, number, first_pk = min(known)
        for pk in chain & wanted:
            if pk != first_pk and pk in members:
                found[pk] = FirstAsk(year=str(start.year), reference=format_reference(code, number))
    return found


def _recommendation_entry(
    rec: Recommendation, *, source: str = "", first_ask: FirstAsk | None = None
) -> RecommendationEntry:
    return RecommendationEntry(
        number=rec.number,
        reference=rec.reference,
        headline=rec.headline,
        body=rec.body,
        sub_items=[SubItemEntry(letter=item.letter, text=item.text) for item in rec.sub_items.all()],
        status=rec.status,
        status_label=str(rec.get_status_display()),
        status_date=date_format(rec.last_update or rec.convening.start_date),  # type: ignore[attr-defined]
        endorsements=int(rec.endorsement_count),  # type: ignore[attr-defined]  # annotation
        addressees=[a.name for a in rec.addressees.all()],
        source=source,
        first_asked=first_ask.year if first_ask else "",
        first_asked_reference=first_ask.reference if first_ask else "",
    )


def convening_summary_data(*, convening: Convening, audience: str) -> SummaryData:
    user = audience_user(audience)
    recommendations = list(_recommendations(user).filter(convening=convening).order_by("number"))
    asked = first_asks(recommendations)
    participations = (
        Participation.objects.visible_to(user)
        .filter(convening=convening)
        .select_related("organization")
        .order_by("role", "organization__name")
    )
    sessions = Session.objects.filter(convening=convening).prefetch_related("paragraphs").order_by("order")
    participants = list(participations)
    next_steps = list(NextStep.objects.filter(convening=convening).order_by("order", "pk"))
    # The one rule for naming owners (events.selectors), asked for the audience's stand-in user.
    owners = next_step_owners(user=user, steps=next_steps)
    session_entries = [
        SessionEntry(
            title=session.title,
            paragraphs=[ParagraphEntry(number=p.number, text=p.text) for p in session.paragraphs.all()],
        )
        for session in sessions
    ]
    loose = convening.paragraphs.filter(session__isnull=True).order_by("number")
    if loose:
        session_entries.insert(0, SessionEntry(title="", paragraphs=[ParagraphEntry(p.number, p.text) for p in loose]))
    return SummaryData(
        title=convening.title,
        code=convening.code,
        url=absolute_url(convening.get_absolute_url()),
        version=str(convening.content_version),
        as_of=_today(),
        kind_label=str(convening.get_kind_display()),
        dates=_dates(convening),
        place=convening.place,
        host_conference=convening.host_conference,
        series=convening.series,
        summary_title=convening.summary_title,
        rule_label=str(convening.get_rule_display()) if convening.rule_is_stated else "",
        overview=convening.overview,
        disclaimer=convening.disclaimer,
        key_themes=list(convening.key_themes.order_by("order").values_list("text", flat=True)),
        recommendations=[_recommendation_entry(rec, first_ask=asked.get(rec.pk)) for rec in recommendations],
        sessions=session_entries,
        footnotes=[FootnoteEntry(number=n.number, text=n.text) for n in convening.footnotes.order_by("number")],
        next_steps=[
            NextStepEntry(
                text=step.text,
                owners=[o.name for o in owners[step.pk]],
                due=date_format(step.due_date) if step.due_date else "",
                state_label=str(step.get_state_display()),
            )
            for step in next_steps
        ],
        participants=[
            ParticipantEntry(
                name=p.organization.name, role_label=str(p.get_role_display()), country=p.organization.country
            )
            for p in participants
        ],
    )


def _asks(entries: list[RecommendationEntry]) -> list[AskEntry]:
    counts = Counter(name for entry in entries for name in entry.addressees)
    return [AskEntry(addressee=name, count=n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _endorsing_organizations(recommendations: Any) -> int:
    return (
        Endorsement.objects.active()
        .filter(recommendation__in=recommendations)
        .values("organization")
        .distinct()
        .count()
    )


def convening_brief_draft(*, convening: Convening, audience: str) -> BriefDraft | None:
    """The brief's circulated draft (``events.briefs``): the published one for every audience, the
    latest one, published or not, for the secretariat's copy (its preview)."""
    return brief_draft(convening=convening, include_unpublished=audience == Audience.SECRETARIAT)


# A draft's text is the brief's lead-in: longer than a conference's name, still whole sentences only.
BRIEF_DRAFT_INTRO_MAX = 700


def convening_brief_data(*, convening: Convening, audience: str) -> BriefData:
    user = audience_user(audience)
    recommendations = _recommendations(user).filter(convening=convening).order_by("number")
    draft = convening_brief_draft(convening=convening, audience=audience)
    if draft is not None and draft.recommendation_ids:
        # Still through the audience's visible_to: a selection never widens what a reader sees.
        recommendations = recommendations.filter(pk__in=draft.recommendation_ids)
    rows = list(recommendations)
    asked = first_asks(rows)
    entries = [_recommendation_entry(rec, first_ask=asked.get(rec.pk)) for rec in rows]
    kicker = " · ".join(part for part in (convening.series, str(convening.get_kind_display())) if part)
    return BriefData(
        title=convening.title,
        reference=convening.code,
        url=absolute_url(convening.get_absolute_url()),
        version=f"{convening.content_version}.{draft.digest}" if draft else str(convening.content_version),
        as_of=_today(),
        kicker=kicker,
        subtitle=" · ".join(part for part in (_dates(convening), convening.place) if part),
        intro=_draft_intro(draft.text) if draft is not None else convening.host_conference,
        drafted=draft is not None,
        recommendations=entries,
        asks=_asks(entries),
        total_endorsements=sum(e.endorsements for e in entries),
        endorsing_organizations=_endorsing_organizations(recommendations),
    )


def _draft_intro(text: str) -> str:
    """The draft's Markdown as plain text, cut after whole sentences (as ``render.brief_intro``);
    a first sentence longer than the limit is cut at a word, with an ellipsis."""
    text, kept = plain(text), ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > BRIEF_DRAFT_INTRO_MAX:
            break
        kept = candidate
    if not kept and text:
        kept = text[:BRIEF_DRAFT_INTRO_MAX].rsplit(" ", 1)[0] + " …"
    return kept


def theme_brief_data(*, theme: Theme, audience: str) -> BriefData:
    """A theme spans convenings, so its version is a digest of what the brief would show."""
    user = audience_user(audience)
    recommendations = (
        _recommendations(user).filter(themes=theme).order_by("-convening__start_date", "convening__code", "number")
    )
    rows = list(recommendations)
    asked = first_asks(rows)
    entries = [
        _recommendation_entry(
            rec, source=f"{rec.convening.title}, {rec.convening.start_date.year}", first_ask=asked.get(rec.pk)
        )
        for rec in rows
    ]
    data = BriefData(
        title=theme.name,
        reference=f"theme-{theme.slug}",
        url=absolute_url(theme.get_absolute_url()),
        version="",
        as_of=_today(),
        kicker="GSX · Theme brief",
        subtitle="",
        intro=theme.description,
        recommendations=entries,
        asks=_asks(entries),
        total_endorsements=sum(e.endorsements for e in entries),
        endorsing_organizations=_endorsing_organizations(recommendations),
    )
    return dataclasses.replace(data, version=content_digest(data))


def letter_data(*, letter: Letter, audience: str) -> LetterData:
    user = audience_user(audience)
    recommendations = Recommendation.objects.visible_to(user).filter(letters=letter).select_related("convening")
    active = Endorsement.objects.active().filter(letter=letter)
    named = (
        Endorsement.objects.visible_to(user)
        .active()
        .named()
        .filter(letter=letter)
        .select_related("organization")
        .order_by("organization__name")
    )
    signatories = [SignatoryEntry(name=e.organization.name, country=e.organization.country) for e in named]
    dated = letter.sent_on or letter.opens_on
    data = LetterData(
        title=letter.title,
        reference=f"letter-{letter.slug}",
        url=absolute_url(letter.get_absolute_url()),
        version="",
        as_of=_today(),
        addressee=letter.addressee.name if letter.addressee else "",
        body=letter.body,
        state_label=str(letter.get_state_display()),
        dated=date_format(dated) if dated else "",
        convening=letter.convening.title if letter.convening and letter.convening.is_published else "",
        recommendations=[
            LetterRecommendation(reference=rec.reference, headline=rec.headline)
            for rec in recommendations.order_by("convening__start_date", "convening__code", "number")
        ],
        signatories=signatories,
        # Everyone active and not listed here: unnamed ones, and any the audience may not see.
        unnamed_count=max(active.count() - len(signatories), 0),
    )
    return dataclasses.replace(data, version=content_digest(data))


def workers_state(*, stale_after: dt.timedelta, now: dt.datetime | None = None) -> str:
    """ "ok", or "stale" when renders wait and no worker took a heartbeat for ``stale_after``.

    Renders sent less than ``stale_after`` ago are not yet a sign of trouble: a worker may be
    busy with the ones before them.
    """
    now = now or timezone.now()
    cutoff = now - stale_after
    waiting = RenderedDocument.objects.filter(state=RenderedDocument.State.PENDING, created_at__lt=cutoff).exists()
    if not waiting:
        return "ok"
    alive = WorkerHeartbeat.objects.filter(queue="pdf", beat_at__gte=cutoff).exists()
    return "ok" if alive else "stale"
