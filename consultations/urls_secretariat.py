"""Secretariat routes of consultations; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import secretariat_views

urlpatterns = [
    path("inputs/", secretariat_views.moderation_queue, name="inputs"),
    path("inputs/<int:pk>/moderate/", secretariat_views.input_moderate, name="input_moderate"),
    path("inputs/<int:pk>/share/", secretariat_views.input_share, name="input_share"),
    path("inputs/<int:pk>/resolve/", secretariat_views.input_resolve, name="input_resolve"),
    path("letters/<slug:slug>/transition/", secretariat_views.letter_transition, name="letter_transition"),
    path("consultations/open/", secretariat_views.consultation_open, name="consultation_open"),
    path("consultations/<int:pk>/close/", secretariat_views.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/publish-brief/", secretariat_views.brief_publish, name="brief_publish"),
]
