"""Rendered documents, for the secretariat to see what is cached, pending or failed, and why."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import RenderedDocument


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin[RenderedDocument]):
    list_display = [
        "kind",
        "subject",
        "subject_id",
        "version_short",
        "audience",
        "language",
        "state",
        "pages",
        "render_ms",
        "attempts",
        "rendered_at",
    ]
    list_filter = ["state", "kind", "subject", "audience", "language"]
    search_fields = ["filename", "error"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]
    actions = ["render_again"]

    @admin.display(description=_("version"))
    def version_short(self, obj: RenderedDocument) -> str:
        return obj.version[:12]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RenderedDocument | None = None) -> bool:
        return False

    @admin.action(description=_("Forget selected documents (they render again on next download)"))
    def render_again(self, request: HttpRequest, queryset: QuerySet[RenderedDocument]) -> None:
        count = queryset.delete()[0]
        self.message_user(request, _("%(count)d document(s) forgotten.") % {"count": count})
