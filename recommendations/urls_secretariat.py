"""Secretariat routes of recommendations; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import secretariat_views

urlpatterns = [
    path("convenings/<slug:slug>/promote/", secretariat_views.recommendation_promote_view, name="promote"),
    path("letters/new/", secretariat_views.letter_new, name="letter_new"),
]
