"""Secretariat routes of the importer; gsx_portal.urls gathers every app's under ``secretariat:``."""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/read/<uuid:read>/", views.import_read, name="import_read"),
    path("import/read/<uuid:read>/retry/", views.import_read_retry, name="import_read_retry"),
]
