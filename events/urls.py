from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("convenings/", views.ConveningListView.as_view(), name="convening_list"),
    path("convenings/export.csv", views.convening_export, {"extension": "csv"}, name="convening_export_csv"),
    path("convenings/export.xlsx", views.convening_export, {"extension": "xlsx"}, name="convening_export_xlsx"),
    path("convenings/<slug:slug>/", views.ConveningDetailView.as_view(), name="convening_detail"),
]
