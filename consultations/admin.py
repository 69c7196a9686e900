from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Consultation, Input


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "opened_at", "closes_on", "closed_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    # Opening, closing and the letter's state go through the services (the secretariat's pages).
    readonly_fields = ["kind", "letter", "recommendation", "convening", "opened_by", "closed_at"]


@admin.register(Input)
class InputAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "consultation", "organization", "moderation", "resolution", "sharing", "created_at"]
    list_filter = ["moderation", "resolution", "sharing", "kind"]
    search_fields = ["text", "proposed_text", "organization__name"]
    readonly_fields = ["consultation", "organization", "author", "moderation", "resolution", "merged_into"]
