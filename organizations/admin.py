from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gsx_portal.versions import reads_changed

from .models import ConfidentialAccess, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "state", "title"]
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "verified_at"]
    list_filter = ["kind", "country", "region", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "acronym", "country", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_at", "verified_by"]
    filter_horizontal = ["themes"]
    inlines = [MembershipInline]
    actions = ["verify"]

    @admin.action(description=_("Verify selected organizations"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        count = queryset.filter(verified_at__isnull=True).update(verified_at=timezone.now(), verified_by=request.user)
        reads_changed()  # an UPDATE sends no signal; verified organizations are listed and named
        self.message_user(request, _("%(count)d organization(s) verified.") % {"count": count}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "state", "created_at"]
    list_filter = ["state", "role", "organization__kind"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(ConfidentialAccess)
class ConfidentialAccessAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the code, and staff can neither add, change nor delete it."""

    list_display = ["at", "username", "what", "path"]
    list_filter = [("at", admin.DateFieldListFilter)]
    search_fields = ["username", "what", "path"]
    readonly_fields = ["at", "user", "username", "what", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
