from django.urls import path

from . import import_views

app_name = "secretariat"

urlpatterns = [
    path("", import_views.SecretariatConveningListView.as_view(), name="index"),
    path("import/", import_views.import_start, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("convenings/<slug:slug>/", import_views.SecretariatConveningDetailView.as_view(), name="convening"),
    path("convenings/<slug:slug>/promote/", import_views.recommendation_promote_view, name="promote"),
    path("convenings/<slug:slug>/publish/", import_views.convening_publish_view, name="publish"),
]
