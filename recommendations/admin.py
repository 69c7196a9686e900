from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from events.services import convening_content_changed

from .models import Addressee, AddresseeResponse, Endorsement, Letter, Recommendation, StatusUpdate, SubItem, Theme


class SubItemInline(admin.TabularInline):
    model = SubItem
    extra = 0


class AddresseeResponseInline(admin.TabularInline):
    model = AddresseeResponse
    extra = 0
    autocomplete_fields = ["addressee", "owner"]
    readonly_fields = ["status"]  # follows the status updates


class StatusUpdateInline(admin.StackedInline):
    model = StatusUpdate
    extra = 0
    fields = [
        ("date", "addressee", "status", "source"),
        "note",
        "public_reason",
        "internal_note",
        ("evidence_url", "evidence_file"),
    ]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "headline", "status", "convening"]
    list_filter = ["status", "convening", "themes", "addressees"]
    search_fields = ["headline", "body", "convening__code", "convening__title"]
    autocomplete_fields = ["convening", "themes", "addressees", "superseded_by", "source_paragraphs"]
    list_select_related = ["convening"]
    inlines = [SubItemInline, AddresseeResponseInline, StatusUpdateInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Citable references must not move once the convening is out. The status is derived
        # from the addressees' responses by the tracking service, never typed.
        if obj is not None and obj.convening.is_published:
            return ["number", "convening", "status"]
        return ["status"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Themes, addressees, sub-items and statuses are saved by now: the convening's PDFs are stale.
        convening_content_changed(convening_id=form.instance.convening_id)


@admin.register(SubItem)
class SubItemAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "text"]
    search_fields = ["text", "recommendation__headline"]
    list_select_related = ["recommendation__convening"]
    list_filter = ["recommendation__convening"]

    def save_model(self, request: HttpRequest, obj: SubItem, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        convening_content_changed(convening_id=obj.recommendation.convening_id)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Addressee)
class AddresseeAdmin(admin.ModelAdmin):
    list_display = ["name", "group"]
    list_filter = ["group"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Endorsement)
class EndorsementAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "recommendation", "letter", "is_named", "created_at", "withdrawn_at"]
    list_filter = ["is_named", ("withdrawn_at", admin.EmptyFieldListFilter), "organization__kind"]
    search_fields = ["organization__name", "recommendation__headline", "letter__title", "signatory_name"]
    autocomplete_fields = ["organization", "recommendation", "letter", "endorsed_by"]
    list_select_related = ["organization", "recommendation__convening", "letter"]

    def save_model(self, request: HttpRequest, obj: Endorsement, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.recommendation_id:  # a letter's signatures version its PDF by content already
            convening_content_changed(convening_id=obj.recommendation.convening_id)  # type: ignore[union-attr]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "date", "addressee", "status", "source"]
    list_filter = ["status", "source", "date"]
    search_fields = ["recommendation__headline", "note", "public_reason"]
    autocomplete_fields = ["recommendation", "addressee"]

    def save_model(self, request: HttpRequest, obj: StatusUpdate, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        convening_content_changed(convening_id=obj.recommendation.convening_id)


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    list_display = ["title", "addressee", "state", "opens_on", "closes_on"]
    list_filter = ["state", "addressee"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["addressee", "recommendations", "convening"]


@admin.register(AddresseeResponse)
class AddresseeResponseAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "addressee", "status", "owner", "due_date"]
    list_filter = ["status", "addressee"]
    search_fields = ["recommendation__headline", "addressee__name"]
    autocomplete_fields = ["recommendation", "addressee", "owner"]
    readonly_fields = ["status"]  # follows the status updates
