"""Tracking's admin: follows, saved searches, digest subscriptions and what tracking adds to next steps."""

from __future__ import annotations

from django.contrib import admin

from .models import DigestSubscription, Follow, NextStepTracking, SavedSearch


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "recommendation", "theme", "convening", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "recommendation", "theme", "convening"]
    list_select_related = ["user", "recommendation__convening", "theme", "convening"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["user", "query", "created_at"]
    search_fields = ["user__username", "user__email", "query"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "last_digest_at", "last_sent_at", "unsubscribed_at"]
    list_filter = [("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["last_digest_at", "last_sent_at"]


@admin.register(NextStepTracking)
class NextStepTrackingAdmin(admin.ModelAdmin):
    list_display = ["next_step", "produces", "letter", "brief_theme", "reminded_before_for", "reminded_after_for"]
    list_filter = ["produces"]
    autocomplete_fields = ["letter", "brief_theme"]
    readonly_fields = ["reminded_before_for", "reminded_after_for"]
