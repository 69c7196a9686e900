"""The API's reads: the same ``visible_to`` querysets and FilterSets as the pages, shaped for JSON.

Lists fetch a page in a fixed number of queries whatever its length: the rows with their
convening joined (only the columns shown), one prefetch per related list, counts as per-row
subqueries that PostgreSQL computes only for the rows of the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, FloatField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from events.models import Convening
from events.selectors import next_step_owners
from gsx_portal.clock import portal_today
from gsx_portal.versions import CACHED_FOR, versioned_key
from organizations.models import Organization, reader_audience
from recommendations import references
from recommendations.endorsement_selectors import active_signature_count, endorsement_summary
from recommendations.filters import RecommendationFilter, Sort
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    SubItem,
    Theme,
    name_fields,
)
from recommendations.selectors import (
    active_endorsement_count,
    convening_detail,
    order_by_sort,
    recommendation_recurrence,
    restatement_chains,
    restatement_pairs,
)
from tracking.selectors import recommendation_responses

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Reader = User | AnonymousUser | None

CONVENING_COLUMNS = ("convening__code", "convening__slug", "convening__title", "convening__start_date")


@dataclass(frozen=True)
class RecommendationReference:
    code: str
    number: int


def parse_reference(text: str) -> RecommendationReference | None:
    """A recommendation's reference (a sub-item's ``.b`` is accepted and ignored), read by the one
    parser, ``recommendations.references``; None for a convening's code alone or no reference."""
    parsed = references.parse_reference(text or "")
    if parsed is None or parsed.number is None:
        return None
    return RecommendationReference(code=parsed.code, number=parsed.number)


def _list_prefetches(queryset: QuerySet[Recommendation], *, responses: bool = True) -> QuerySet[Recommendation]:
    rows = queryset.select_related("convening").prefetch_related(
        Prefetch("sub_items", queryset=SubItem.objects.order_by("letter").only("recommendation_id", "letter", "text")),
        Prefetch("themes", queryset=Theme.objects.order_by("name").only("slug", "name")),
        Prefetch("addressees", queryset=Addressee.objects.order_by("name").only("slug", "name", "group")),
    )
    if not responses:  # the detail reads them through tracking.selectors, owners and all
        return rows
    return rows.prefetch_related(
        Prefetch(
            "responses",
            queryset=AddresseeResponse.objects.select_related("addressee")
            .order_by("addressee__name")
            .only(
                "recommendation_id",
                "status",
                "due_date",
                "addressee__slug",
                "addressee__group",
                *name_fields("addressee__"),
            ),
        ),
    )


def recommendation_rows(*, filterset: RecommendationFilter) -> QuerySet[Recommendation]:
    """The filtered rows of the list, in the page's order for the filterset's ``sort``
    (``recommendations.selectors.order_by_sort``, whose orderings end in unique columns, as the
    keyset pagination needs)."""
    sort = filterset.sort_order
    rows = filterset.qs
    if sort != Sort.MOST_ENDORSED:  # that order counts with a join of its own
        rows = rows.annotate(endorsement_count=active_endorsement_count())
    rows = order_by_sort(rows, sort=sort, text=filterset.text)
    ordering = [str(field) for field in rows.query.order_by]
    if ordering[:1] == ["-relevance"]:
        # ts_rank is a float4, which reaches Python rounded to its printed digits: a cursor could
        # not name the last row's rank exactly. Its double-precision cast round-trips.
        rows = rows.annotate(rank=Cast("relevance", FloatField())).order_by("-rank", *ordering[1:])
    columns = ("convening_id", "number", "headline", "body", "status", "updated_at")
    return _list_prefetches(rows).only(*columns, *CONVENING_COLUMNS)


def cached_page(
    rows: QuerySet[Recommendation],
    *,
    filterset: RecommendationFilter,
    user: Reader,
    params: list[tuple[str, list[str]]],
    paginate: Callable[[QuerySet[Recommendation]], list[Recommendation]],
    fetched: Callable[[], list[Recommendation]],
) -> list[Recommendation]:
    """A page of the recommendations list, whose rows (their ids, the extra one that tells a next
    page included) are cached under the audience, every query parameter (filters, sort, cursor,
    page size) and the version that any write moves that could change them (the content version
    unless the list is sorted or filtered by endorsements). A warm page then reads its rows by
    primary key instead of ranking every text match; the rows themselves are always read fresh,
    through ``visible_to``, and the pagination runs as on a miss (cursor, order, limit), over them."""
    by_endorsements = filterset.sort_order == Sort.MOST_ENDORSED or "endorsed_by" in filterset.values
    key = versioned_key("api-page", reader_audience(user), sorted(params), content=not by_endorsements)
    ids = cache.get(key)
    if ids is not None:
        return paginate(rows.filter(pk__in=ids))
    page = paginate(rows)
    cache.set(key, [row.pk for row in fetched()], CACHED_FOR)
    return page


@dataclass
class RecurrenceRow:
    """A list row's recurrence fields, as the detail gives them (``recommendation_recurrence``)."""

    first_asked: dt.date
    restates: list[str] = field(default_factory=list)  # oldest first
    restated_by: list[str] = field(default_factory=list)
    times_asked: int = 1


def attach_recurrence(*, user: Reader, recommendations: Sequence[Recommendation]) -> None:
    """Give each row of a page ``recurrence_row``, in two queries whatever the page holds: the
    restatement links the reader may see (``RecommendationLink.visible_to``: a link to a draft is
    neither shown nor counted) and the chains' members, read through ``visible_to``."""
    on_page = {rec.pk for rec in recommendations}
    pairs = restatement_pairs(user=user)
    chains = [chain for chain in restatement_chains(user=user, pairs=pairs) if chain & on_page]
    members: dict[int, tuple[dt.date, str, int]] = {}
    if chains:
        members = {
            pk: (start, code, number)
            for pk, start, code, number in Recommendation.objects.visible_to(user)
            .filter(pk__in=set().union(*chains))
            .values_list("pk", "convening__start_date", "convening__code", "number")
        }
    earlier: dict[int, list[int]] = {}
    later: dict[int, list[int]] = {}
    for from_id, to_id in pairs:
        if from_id in on_page:
            earlier.setdefault(from_id, []).append(to_id)
        if to_id in on_page:
            later.setdefault(to_id, []).append(from_id)
    chain_of = {pk: chain for chain in chains for pk in chain & on_page}

    def cited(ids: list[int]) -> list[str]:
        known = sorted((members[pk], pk) for pk in ids if pk in members)  # oldest first
        return [references.format_reference(code, number) for (_date, code, number), _pk in known]

    for rec in recommendations:
        chain = sorted(members[pk] for pk in chain_of.get(rec.pk, ()) if pk in members)
        rec.recurrence_row = RecurrenceRow(  # type: ignore[attr-defined]  # shaped for the serializer
            first_asked=chain[0][0] if chain else rec.convening.start_date,
            restates=cited(earlier.get(rec.pk, [])),
            restated_by=cited(later.get(rec.pk, [])),
            times_asked=len(chain) or 1,
        )


def recommendation_by_reference(*, user: Reader, reference: str) -> Recommendation:
    """One recommendation by its citable reference; DoesNotExist for unknown and invisible alike."""
    parsed = parse_reference(reference)
    if parsed is None:
        raise Recommendation.DoesNotExist
    recommendation = (
        _list_prefetches(Recommendation.objects.visible_to(user), responses=False)
        .annotate(endorsement_count=active_endorsement_count())
        .get(convening__code__iexact=parsed.code, number=parsed.number)
    )
    # Links and restatements through visible_to: a draft's reference is not for this reader.
    recommendation.recurrence = recommendation_recurrence(user=user, recommendation=recommendation)  # type: ignore[attr-defined]
    tracking = recommendation_responses(user=user, recommendation=recommendation, today=portal_today())
    summary = endorsement_summary(user=user, recommendation=recommendation)
    recommendation.response_rows = tracking["responses"]  # type: ignore[attr-defined]  # shaped for the serializer
    recommendation.timeline = tracking["timeline"]  # type: ignore[attr-defined]
    recommendation.endorsers = summary.listed  # type: ignore[attr-defined]
    recommendation.unnamed_count = summary.unnamed  # type: ignore[attr-defined]
    return recommendation


def convening_rows(*, user: Reader) -> QuerySet[Convening]:
    """Newest first. The count is a subquery per row, computed for the rows of the page only
    (the list page's GROUP BY would count every convening's recommendations first)."""
    visible = (
        Recommendation.objects.visible_to(user)
        .filter(convening=OuterRef("pk"))
        .order_by()
        .values("convening")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Convening.objects.visible_to(user)
        .listed()
        .annotate(recommendation_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0))
        .order_by("-start_date", "code")
    )


def convening_by_key(*, user: Reader, key: str) -> Convening:
    """A convening by its code (CSD-2017-VIE, any case) or slug, with its whole summary."""
    slug = (
        Convening.objects.visible_to(user)
        .filter(Q(slug=key) | Q(code__iexact=key))
        .values_list("slug", flat=True)
        .first()
    )
    if slug is None:
        raise Convening.DoesNotExist
    convening = convening_detail(user=user, slug=slug)
    orders = {session.pk: session.order for session in convening.sessions.all()}
    for paragraph in convening.paragraphs.all():
        order = orders.get(paragraph.session_id) if paragraph.session_id is not None else None
        paragraph.session_order = order  # type: ignore[attr-defined]  # the session's number, for the JSON
    steps = list(convening.next_steps.all())
    owners = next_step_owners(user=user, steps=steps)
    for step in steps:
        step.named_owners = owners[step.pk]  # type: ignore[attr-defined]  # the one naming rule's answer
    return convening


def organization_rows(*, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    return queryset.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name"))).order_by("name", "pk")


def organization_by_slug(*, user: Reader, slug: str) -> Organization:
    return organization_rows(queryset=Organization.objects.visible_to(user)).get(slug=slug)


def theme_rows(*, user: Reader) -> QuerySet[Theme]:
    visible = Recommendation.objects.visible_to(user).values("pk")
    return Theme.objects.annotate(
        recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible), distinct=True)
    ).order_by("name")


def addressee_rows(*, user: Reader) -> QuerySet[Addressee]:
    visible = Recommendation.objects.visible_to(user).values("pk")
    return Addressee.objects.annotate(
        recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible), distinct=True)
    ).order_by("name")


def letter_rows(*, user: Reader) -> QuerySet[Letter]:
    """Letters with their signatories: only active, named signatures of verified organizations
    (``Endorsement.visible_to``); the count covers every active signature, named or not."""
    signatures = (
        Endorsement.objects.visible_to(user)
        .active()
        .filter(letter__isnull=False)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    recommendations = (
        Recommendation.objects.visible_to(user).select_related("convening").order_by("convening__code", "number")
    )
    return (
        Letter.objects.visible_to(user)
        .select_related("addressee")
        .annotate(signature_count=active_signature_count())
        .prefetch_related(
            Prefetch("endorsements", queryset=signatures, to_attr="signatories"),
            Prefetch("recommendations", queryset=recommendations, to_attr="visible_recommendations"),
        )
        .order_by("-created_at", "slug")
    )


def endorsement_rows(*, user: Reader) -> QuerySet[Endorsement]:
    """Who endorsed what, as ``Endorsement.visible_to`` lets this reader see it."""
    return (
        Endorsement.objects.visible_to(user)
        .select_related("organization", "recommendation__convening", "letter")
        # Newest first by id (ids follow creation): the primary key's index serves the order,
        # where sorting 200,000 rows by created_at would not.
        .order_by("-pk")
    )


def reader_kind(user: Any) -> str:
    return "anonymous" if user is None or not user.is_authenticated else f"user-{user.pk}"
