"""Secretariat admin: a whole convening is logged from its own page, sub-items included."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import nested_admin
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
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
        # The status is derived from the status updates, never typed (a typed "Implemented"
        # would show publicly with nothing behind it). References cite the numbers: they are
        # frozen once the convening is published.
        if obj is not None and obj.is_published:
            return ["number", "status"]
        return ["status"]


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
    actions = ["publish", "unpublish", "archive", "unarchive"]
    # Publishing goes through the service (published_at, pre-rendering, the duplicate check):
    # the status is never typed, and the page's buttons and the actions call the services.
    readonly_fields = ["status", "content_version", "published_at", "archived_at", "duplicate_of"]
    change_form_template = "admin/events/convening/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", ("kind", "series", "status"), "summary_title"]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), ("city", "venue"), ("country", "region"), "host_conference"]},
        ),
        (
            _("Summary"),
            {
                "fields": [
                    "rule",
                    "overview",
                    "disclaimer",
                    ("published_at", "content_version"),
                    ("archived_at", "duplicate_of"),
                ]
            },
        ),
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

    # --- Publishing, unpublishing and archiving: actions and the change page's buttons ----------

    def _publish(self, request: HttpRequest, convenings: Iterable[Convening], *, confirmed: bool) -> list[Convening]:
        """Publish the drafts among ``convenings``; returns the likely duplicates left unconfirmed."""
        from .services import PublishNeedsConfirmation, convening_publish

        published, waiting = 0, []
        for convening in convenings:
            if convening.is_published:
                continue
            try:
                convening_publish(convening=convening, confirm_duplicate=confirmed)
            except PublishNeedsConfirmation:
                waiting.append(convening)
            else:
                published += 1
        if published:
            self.message_user(request, _("%(count)d convening(s) published.") % {"count": published}, messages.SUCCESS)
        return waiting

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        confidential = Participation.objects.filter(
            convening_id=int(object_id) if object_id.isdigit() else 0, visibility=Participation.Visibility.CONFIDENTIAL
        )
        if confidential.exists():
            confidential_access_record(request=request, what=f"convening in the admin (#{object_id})")
        return response

    @admin.action(description=_("Publish selected convenings"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Convening]) -> HttpResponse | None:
        confirmed = request.POST.get("confirm_duplicate") == "1"
        waiting = self._publish(request, queryset.select_related("duplicate_of"), confirmed=confirmed)
        if not waiting:
            return None
        # A second, explicit confirmation, on a page of its own (as Django's own delete action).
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish likely duplicates?"),
            "opts": self.model._meta,
            "convenings": waiting,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/convening/publish_confirm.html", context)

    @admin.action(description=_("Unpublish selected convenings (back to draft)"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Convening]) -> None:
        from .services import convening_unpublish

        count = 0
        for convening in queryset.filter(status=Convening.Status.PUBLISHED):
            convening_unpublish(convening=convening)
            count += 1
        self.message_user(request, _("%(count)d convening(s) unpublished.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Archive selected convenings (hidden from lists, pages still answer)"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Convening]) -> None:
        self._archive(request, queryset.filter(archived_at__isnull=True), archived=True)

    @admin.action(description=_("Bring selected convenings back from the archive"))
    def unarchive(self, request: HttpRequest, queryset: QuerySet[Convening]) -> None:
        self._archive(request, queryset.filter(archived_at__isnull=False), archived=False)

    def _archive(self, request: HttpRequest, convenings: Iterable[Convening], *, archived: bool) -> None:
        from .services import convening_archive

        count = 0
        for convening in convenings:
            convening_archive(convening=convening, archived=archived)
            count += 1
        message = (
            _("%(count)d convening(s) archived.") if archived else _("%(count)d convening(s) back from the archive.")
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def response_change(self, request: HttpRequest, obj: Convening) -> HttpResponse:
        """The buttons of the change page: the form is saved first, then the service runs."""
        from .services import convening_unpublish

        if "_publish" in request.POST:
            if self._publish(request, [obj], confirmed=request.POST.get("confirm_duplicate") == "1"):
                self.message_user(
                    request,
                    _("%(code)s looks like a duplicate of %(other)s: tick the confirmation to publish it anyway.")
                    % {"code": obj.code, "other": obj.duplicate_of.code if obj.duplicate_of else "?"},
                    messages.WARNING,
                )
            return HttpResponseRedirect(request.path)
        if "_unpublish" in request.POST:
            convening_unpublish(convening=obj)
            self.message_user(request, _("%(code)s is a draft again.") % {"code": obj.code}, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        if "_archive" in request.POST or "_unarchive" in request.POST:
            self._archive(request, [obj], archived="_archive" in request.POST)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # --- Nothing published is deleted -------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Convening | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False  # unpublish or archive instead; the change page says so
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, list[Any]]:
        # The bulk "delete selected" action asks no per-object permission: refuse published ones here.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        published = [obj for obj in objs if isinstance(obj, Convening) and obj.is_published]
        if published and super().has_delete_permission(request):
            # Not a missing permission: say why, in the "protected" list, with what to do instead.
            perms_needed = set(perms_needed) - {str(Convening._meta.verbose_name)}
        protected = list(protected) + [
            _("%(convening)s is published: unpublish or archive it instead.") % {"convening": obj} for obj in published
        ]
        return deleted, counts, perms_needed, protected


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
