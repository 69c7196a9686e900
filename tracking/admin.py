"""Tracking's admin, and the recommendation admin extended so the derived status stays derived.

Every admin path that can change a recommendation's timeline or responses (its change page with
inlines, a revert from its history, the status-update and response admins) ends by re-deriving
the status through the tracking service. The recommendation admin is re-registered from here
because the layers allow tracking to import recommendations, never the other way round.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recommendations import admin as recommendations_admin
from recommendations.models import AddresseeResponse, Recommendation, StatusUpdate

from . import validators
from .models import DigestSubscription, Follow, NextStepFollowUp
from .selectors import portal_today
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


class TrackedStatusUpdateInline(recommendations_admin.StatusUpdateInline):
    form = StatusUpdateAdminForm


class TrackedRecommendationAdmin(recommendations_admin.RecommendationAdmin):
    form = RecommendationAdminForm
    inlines = [
        TrackedStatusUpdateInline if inline is recommendations_admin.StatusUpdateInline else inline
        for inline in recommendations_admin.RecommendationAdmin.inlines
    ]

    def save_model(self, request: HttpRequest, obj: Recommendation, form: Any, change: bool) -> None:
        reason = form.cleaned_data.get("public_reason", "") if hasattr(form, "cleaned_data") else ""
        obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
        if obj.pk:
            # A revert from the history page restores an old row, status included: keep the
            # derived one so the public history does not show a status nobody recorded.
            obj.status = Recommendation.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        recommendation_status_refresh(recommendation=form.instance, reason=form.cleaned_data.get("public_reason", ""))


class TrackedStatusUpdateAdmin(recommendations_admin.StatusUpdateAdmin):
    form = StatusUpdateAdminForm

    def save_model(self, request: HttpRequest, obj: StatusUpdate, form: Any, change: bool) -> None:
        obj._change_reason = obj.public_reason  # type: ignore[attr-defined]  # read by simple-history
        super().save_model(request, obj, form, change)
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


class TrackedAddresseeResponseAdmin(recommendations_admin.AddresseeResponseAdmin):
    def save_model(self, request: HttpRequest, obj: AddresseeResponse, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        recommendation_status_refresh(recommendation=obj.recommendation)


for model, model_admin in (
    (Recommendation, TrackedRecommendationAdmin),
    (StatusUpdate, TrackedStatusUpdateAdmin),
    (AddresseeResponse, TrackedAddresseeResponseAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "recommendation", "theme", "convening", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "recommendation", "theme", "convening"]
    list_select_related = ["user", "recommendation__convening", "theme", "convening"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "last_digest_at", "last_sent_at", "unsubscribed_at"]
    list_filter = [("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["last_digest_at", "last_sent_at"]


@admin.register(NextStepFollowUp)
class NextStepFollowUpAdmin(admin.ModelAdmin):
    list_display = ["next_step", "produces", "letter", "brief_theme", "reminded_before_for", "reminded_after_for"]
    list_filter = ["produces"]
    autocomplete_fields = ["letter", "brief_theme"]
    readonly_fields = ["reminded_before_for", "reminded_after_for"]
