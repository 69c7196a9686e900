"""Reads of the secretariat's import and promote screens, with their related rows fetched up front."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from events.models import Convening, NextStep, Paragraph
from recommendations.models import Recommendation, SubItem


def secretariat_convening_list(*, user: Any) -> QuerySet[Convening]:
    """Drafts first, then the newest; with the counts the list shows."""
    return (
        Convening.objects.editable_by(user)
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            paragraph_count=Count("paragraphs", distinct=True),
        )
        .order_by("status", "-start_date", "title")
    )


def secretariat_convening_detail(*, user: Any, slug: str) -> Convening:
    """The convening with its paragraphs and recommendations, each knowing the other side of its
    provenance, in a fixed number of queries."""
    recommendations = Recommendation.objects.order_by("number").prefetch_related(
        Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")),
        Prefetch("source_paragraphs", queryset=Paragraph.objects.order_by("number")),
    )
    paragraphs = Paragraph.objects.order_by("number").prefetch_related(
        Prefetch("promoted_recommendations", queryset=Recommendation.objects.order_by("number"))
    )
    return (
        Convening.objects.editable_by(user)
        .prefetch_related(
            Prefetch("recommendations", queryset=recommendations),
            Prefetch("sessions__paragraphs", queryset=paragraphs),
            Prefetch("paragraphs", queryset=Paragraph.objects.filter(session=None).order_by("number"), to_attr="loose"),
            "key_themes",
            "footnotes",
            Prefetch("next_steps", queryset=NextStep.objects.select_related("source_paragraph")),
        )
        .get(slug=slug)
    )
