"""Secretariat routes of convenings; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import secretariat_views

urlpatterns = [
    path("", secretariat_views.SecretariatConveningListView.as_view(), name="index"),
    path("convenings/<slug:slug>/", secretariat_views.SecretariatConveningDetailView.as_view(), name="convening"),
    path("convenings/<slug:slug>/publish/", secretariat_views.convening_publish_view, name="publish"),
]
