"""Secretariat routes of convenings; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import editor_views, secretariat_views

urlpatterns = [
    path("", secretariat_views.SecretariatConveningListView.as_view(), name="index"),
    path("convenings/<slug:slug>/", secretariat_views.SecretariatConveningDetailView.as_view(), name="convening"),
    path("convenings/<slug:slug>/publish/", secretariat_views.convening_publish_view, name="publish"),
    # The convening editor (events/editor_views.py).
    path("convenings/<slug:slug>/edit/", editor_views.convening_edit, name="convening_edit"),
    path("convenings/<slug:slug>/edit/bulk/", editor_views.recommendations_bulk, name="recommendations_bulk"),
    path("convenings/<slug:slug>/edit/r/<int:number>/", editor_views.recommendation_row, name="recommendation_row"),
    path(
        "convenings/<slug:slug>/edit/r/<int:number>/edit/", editor_views.recommendation_edit, name="recommendation_edit"
    ),
    path("convenings/<slug:slug>/edit/organizations/", editor_views.participant_search, name="participant_search"),
    path("convenings/<slug:slug>/edit/participants/", editor_views.participant_add, name="participant_add"),
    path(
        "convenings/<slug:slug>/edit/participants/<int:pk>/", editor_views.participant_change, name="participant_change"
    ),
    path("convenings/<slug:slug>/state/<slug:action>/", editor_views.convening_state, name="convening_state"),
]
