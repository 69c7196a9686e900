"""The recommendations admin. A recommendation's status is derived, never typed: it is read-only,
and every admin path that can change a timeline or its responses (a recommendation's page with
its inlines, a revert from its history, the status-update and response admins) ends by
re-deriving it through ``recommendation_status_refresh``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from events.services import convening_content_changed
from gsx_portal.clock import portal_today
from gsx_portal.history import history_actor

from . import validators
from .models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    RecommendationLink,
    StatusUpdate,
    SubItem,
    Theme,
)
from .services import recommendation_status_refresh


class _StoredFile:
    """What the file widget shows of a stored evidence file: its name, linked to the evidence view."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class EvidenceFileWidget(AdminFileWidget):
    """Evidence files have no URL of their own (private storage): link the checking view instead."""

    download_url = ""

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", ""))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = _StoredFile(value.name, self.download_url)
        return context


class StatusUpdateAdminForm(forms.ModelForm[StatusUpdate]):
    """The page form's checks, in the admin too: no future dates, web links only, safe files."""

    class Meta:
        model = StatusUpdate
        fields = "__all__"  # noqa: DJ007  # the ModelAdmin decides which fields show; this form only adds checks
        widgets = {"evidence_file": EvidenceFileWidget}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["evidence_file"].widget if "evidence_file" in self.fields else None
        if isinstance(widget, EvidenceFileWidget) and self.instance.pk:
            widget.download_url = reverse("tracking:evidence", args=[self.instance.pk])

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        validators.validate_not_in_future(value, today=portal_today())
        return value

    def clean_evidence_url(self) -> str:
        value = self.cleaned_data.get("evidence_url", "")
        validators.validate_http_url(value)
        return str(value)

    def clean_evidence_file(self) -> Any:
        value = self.cleaned_data.get("evidence_file")
        if value and hasattr(value, "content_type"):  # a new upload, not the stored file
            validators.validate_evidence_file(value)
        return value


class RecommendationAdminForm(forms.ModelForm[Recommendation]):
    public_reason = forms.CharField(
        label=_("Public reason for this change"),
        max_length=100,
        required=False,
        help_text=_("Shown with the change in the recommendation's public history."),
    )

    class Meta:
        model = Recommendation
        fields = "__all__"  # noqa: DJ007  # the ModelAdmin decides which fields show; this form only adds checks


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
    form = StatusUpdateAdminForm
    extra = 0
    fields = [
        ("date", "addressee", "status", "source"),
        "note",
        "public_reason",
        "internal_note",
        ("evidence_url", "evidence_file"),
    ]


class RecommendationLinkInline(admin.TabularInline):
    """Links made here (among them what "superseded by" was) are this recommendation's outgoing ones."""

    model = RecommendationLink
    fk_name = "from_recommendation"
    extra = 0
    fields = ["kind", "to_recommendation", "note"]
    autocomplete_fields = ["to_recommendation"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    form = RecommendationAdminForm
    list_display = ["reference", "headline", "status", "convening"]
    list_filter = ["status", "convening", "themes", "addressees"]
    search_fields = ["headline", "body", "convening__code", "convening__title"]
    autocomplete_fields = ["convening", "themes", "addressees", "source_paragraphs"]
    list_select_related = ["convening"]
    inlines = [SubItemInline, RecommendationLinkInline, AddresseeResponseInline, StatusUpdateInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Recommendation | None = None) -> list[str]:
        # Citable references must not move once the convening is out. The status is derived
        # from the addressees' responses by recommendation_status_refresh, never typed.
        if obj is not None and obj.convening.is_published:
            return ["number", "convening", "status"]
        return ["status"]

    def save_model(self, request: HttpRequest, obj: Recommendation, form: Any, change: bool) -> None:
        reason = form.cleaned_data.get("public_reason", "") if hasattr(form, "cleaned_data") else ""
        history_actor(obj, reason=reason)
        if obj.pk:
            # A revert from the history page restores an old row, status included: keep the
            # derived one so the public history does not show a status nobody recorded.
            obj.status = Recommendation.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Themes, addressees, sub-items and statuses are saved by now: the convening's PDFs are stale.
        convening_content_changed(convening_id=form.instance.convening_id)
        recommendation_status_refresh(recommendation=form.instance, reason=form.cleaned_data.get("public_reason", ""))


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
class ThemeAdmin(TranslationAdmin[Theme]):  # a name field per language, the untranslated one hidden
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Addressee)
class AddresseeAdmin(TranslationAdmin[Addressee]):
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
        if obj.recommendation is not None:  # a letter's signatures version its PDF by content already
            convening_content_changed(convening_id=obj.recommendation.convening_id)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SimpleHistoryAdmin):
    form = StatusUpdateAdminForm
    list_display = ["recommendation", "date", "addressee", "status", "source"]
    list_filter = ["status", "source", "date"]
    search_fields = ["recommendation__headline", "note", "public_reason"]
    autocomplete_fields = ["recommendation", "addressee"]

    def save_model(self, request: HttpRequest, obj: StatusUpdate, form: Any, change: bool) -> None:
        super().save_model(request, history_actor(obj, reason=obj.public_reason), form, change)
        convening_content_changed(convening_id=obj.recommendation.convening_id)
        recommendation_status_refresh(recommendation=obj.recommendation, reason=obj.public_reason)

    def delete_model(self, request: HttpRequest, obj: StatusUpdate) -> None:
        recommendation = obj.recommendation
        super().delete_model(request, obj)
        recommendation_status_refresh(recommendation=recommendation)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        recommendations = list(Recommendation.objects.filter(status_updates__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for recommendation in recommendations:
            recommendation_status_refresh(recommendation=recommendation)


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    list_display = ["title", "addressee", "state", "opens_on", "closes_on"]
    list_filter = ["state", "addressee"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["addressee", "recommendations", "convening"]
    # The state moves only through recommendations.services.letter_transition (the letter's page),
    # which keeps the reason and opens or closes its consultation.
    readonly_fields = ["state", "sent_on", "sent_to"]


@admin.register(AddresseeResponse)
class AddresseeResponseAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "addressee", "status", "owner", "due_date"]
    list_filter = ["status", "addressee"]
    search_fields = ["recommendation__headline", "addressee__name"]
    autocomplete_fields = ["recommendation", "addressee", "owner"]
    readonly_fields = ["status"]  # follows the status updates

    def save_model(self, request: HttpRequest, obj: AddresseeResponse, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        recommendation_status_refresh(recommendation=obj.recommendation)
