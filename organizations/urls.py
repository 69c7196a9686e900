from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="list"),
    path("organizations/export.csv", views.organization_export, {"extension": "csv"}, name="export_csv"),
    path("organizations/export.xlsx", views.organization_export, {"extension": "xlsx"}, name="export_xlsx"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail"),
]
