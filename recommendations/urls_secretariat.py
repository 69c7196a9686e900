"""Secretariat routes of recommendations; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import secretariat_views

urlpatterns = [
    path("convenings/<slug:slug>/promote/", secretariat_views.recommendation_promote_view, name="promote"),
    path("convenings/<slug:slug>/recurrence/", secretariat_views.recurrence_suggestions_view, name="recurrence"),
    path(
        "convenings/<slug:slug>/recurrence/compute/",
        secretariat_views.recurrence_suggestions_compute_view,
        name="recurrence_compute",
    ),
    path(
        "recurrence/<int:pk>/<str:decision>/",
        secretariat_views.recurrence_suggestion_decide_view,
        name="recurrence_decide",
    ),
    path("letters/new/", secretariat_views.letter_new, name="letter_new"),
    path("letters/<slug:slug>/edit/", secretariat_views.letter_edit, name="letter_edit"),
]
