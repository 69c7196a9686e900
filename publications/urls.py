from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("convenings/<slug:slug>/summary.pdf", views.convening_summary_pdf, name="convening_summary"),
    path("convenings/<slug:slug>/brief.pdf", views.convening_brief_pdf, name="convening_brief"),
    path("themes/<slug:slug>/brief.pdf", views.theme_brief_pdf, name="theme_brief"),
    path("letters/<slug:slug>/letter.pdf", views.letter_pdf, name="letter"),
    path("data/", views.data_releases, name="data_releases"),
    path("data/gsx-open-data-<slug:version>.zip", views.data_release_download, name="data_release"),
]
