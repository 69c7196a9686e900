from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("convenings/<slug:slug>/summary.pdf", views.convening_summary_pdf, name="convening_summary"),
    path("convenings/<slug:slug>/brief.pdf", views.convening_brief_pdf, name="convening_brief"),
    path("themes/<slug:slug>/brief.pdf", views.theme_brief_pdf, name="theme_brief"),
    path("letters/<slug:slug>/letter.pdf", views.letter_pdf, name="letter"),
]
