"""Secretariat admin: a whole convening is logged from its own page, sub-items included."""

from __future__ import annotations

from typing import Any

import nested_admin
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from organizations.services import confidential_access_record
from recommendations.models import Recommendation, SubItem

from .models import Convening, Footnote, KeyTheme, NextStep, Paragraph, Participation, Session


class SessionInline(nested_admin.NestedTabularInline):
    model = Session
    extra = 0
    fields = ["order", "title"]


class ParagraphInline(nested_admin.NestedStackedInline):
    model = Paragraph
    extra = 0
    fields = [("number", "session"), "text"]
    classes = ["collapse"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Offer only this convening's sessions, not every session in the database.
        if db_field.name == "session":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Session.objects.filter(convening_id=object_id) if object_id else Session.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SubItemInline(nested_admin.NestedTabularInline):
    model = SubItem
    extra = 0
    fields = ["letter", "text"]


class RecommendationInline(nested_admin.NestedStackedInline):
    model = Recommendation
    extra = 0
    fields = [("number", "status"), "headline", "body", ("themes", "addressees")]
    filter_horizontal: list[str] = []
    inlines = [SubItemInline]
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Convening | None = None) -> list[str]:
        # References cite these numbers: they are frozen once the convening is published.
        if obj is not None and obj.is_published:
            return ["number"]
        return []


class KeyThemeInline(nested_admin.NestedTabularInline):
    model = KeyTheme
    extra = 0
    fields = ["order", "text"]


class FootnoteInline(nested_admin.NestedTabularInline):
    model = Footnote
    extra = 0
    fields = ["number", "text"]


class NextStepInline(nested_admin.NestedStackedInline):
    model = NextStep
    extra = 0
    fields = [("order", "state", "due_date"), "text", "owners"]
    autocomplete_fields = ["owners"]


class ParticipationInline(nested_admin.NestedTabularInline):
    model = Participation
    extra = 0
    fields = ["organization", "role", "visibility"]
    autocomplete_fields = ["organization"]


@admin.register(Convening)
class ConveningAdmin(SimpleHistoryAdmin, nested_admin.NestedModelAdmin):
    list_display = ["title", "code", "kind", "start_date", "city", "country", "status"]
    list_filter = ["status", "kind", "series", "country", "rule", "start_date"]
    search_fields = ["title", "code", "city", "country", "host_conference", "summary_title"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    actions = ["publish"]
    readonly_fields = ["content_version", "published_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", ("kind", "series", "status"), "summary_title"]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), ("city", "venue"), ("country", "region"), "host_conference"]},
        ),
        (_("Summary"), {"fields": ["rule", "overview", "disclaimer", ("published_at", "content_version")]}),
    ]
    inlines = [
        KeyThemeInline,
        RecommendationInline,
        SessionInline,
        ParagraphInline,
        FootnoteInline,
        ParticipationInline,
        NextStepInline,
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            # Inlines (recommendations, paragraphs…) are saved by now: cached PDFs are stale.
            from .services import convening_content_changed

            convening_content_changed(convening_id=form.instance.pk)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        confidential = Participation.objects.filter(
            convening_id=int(object_id) if object_id.isdigit() else 0, visibility=Participation.Visibility.CONFIDENTIAL
        )
        if confidential.exists():
            confidential_access_record(request=request, what=f"convening in the admin (#{object_id})")
        return response

    @admin.action(description=_("Publish selected convenings"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Convening]) -> None:
        from .services import convening_publish

        count = 0
        for convening in queryset.filter(status=Convening.Status.DRAFT):
            convening_publish(convening=convening)
            count += 1
        self.message_user(request, _("%(count)d convening(s) published.") % {"count": count}, messages.SUCCESS)


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "convening", "role", "visibility"]
    list_filter = ["visibility", "role", "convening"]
    search_fields = ["organization__name", "convening__title"]
    autocomplete_fields = ["organization", "convening"]

    # Pages that show a confidential participation are written to the access log.
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        shown = list(changelist.result_list) if changelist is not None else []
        if any(p.visibility == Participation.Visibility.CONFIDENTIAL for p in shown):
            confidential_access_record(request=request, what="participations in the admin")
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        participation = Participation.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if participation is not None and participation.visibility == Participation.Visibility.CONFIDENTIAL:
            confidential_access_record(request=request, what=f"participation in the admin: {participation}")
        return response


@admin.register(NextStep)
class NextStepAdmin(SimpleHistoryAdmin):
    list_display = ["text", "convening", "due_date", "state"]
    list_filter = ["state", "convening", "due_date"]
    search_fields = ["text", "convening__title", "owners__name"]
    autocomplete_fields = ["owners", "convening"]


@admin.register(Paragraph)
class ParagraphAdmin(SimpleHistoryAdmin):
    list_display = ["number", "convening", "session"]
    list_filter = ["convening"]
    search_fields = ["text", "convening__title"]
    autocomplete_fields = ["convening"]
