from django.urls import path

from . import endorsement_views, letter_views, views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.RecommendationListView.as_view(), name="list"),
    path("recommendations/export.csv", views.recommendation_export, {"extension": "csv"}, name="export_csv"),
    path("recommendations/export.xlsx", views.recommendation_export, {"extension": "xlsx"}, name="export_xlsx"),
    path("recommendations/recurring/", views.recurring_asks, name="recurring"),
    path("recommendations/recurring.csv", views.recurring_export, {"extension": "csv"}, name="recurring_csv"),
    path("recommendations/recurring.xlsx", views.recurring_export, {"extension": "xlsx"}, name="recurring_xlsx"),
    path("convenings/<slug:slug>/r/<int:number>/", views.RecommendationDetailView.as_view(), name="detail"),
    # Citable references: /r/CSD-2017-VIE/R2.b (the parser is recommendations/references.py).
    path("r/<path:reference>", views.reference_redirect, name="reference"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme_detail"),
    path(
        "convenings/<slug:slug>/r/<int:number>/endorse/",
        endorsement_views.recommendation_endorse,
        name="recommendation_endorse",
    ),
    path(
        "convenings/<slug:slug>/r/<int:number>/withdraw/",
        endorsement_views.recommendation_withdraw,
        name="recommendation_withdraw",
    ),
    path("letters/", letter_views.LetterListView.as_view(), name="letter_list"),
    path("letters/open/", letter_views.LetterOpenListView.as_view(), name="letters_open"),
    path("letters/export.csv", letter_views.letter_export, {"extension": "csv"}, name="letter_export_csv"),
    path("letters/export.xlsx", letter_views.letter_export, {"extension": "xlsx"}, name="letter_export_xlsx"),
    path("letters/<slug:slug>/", letter_views.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<slug:slug>/versions/", letter_views.letter_versions, name="letter_versions"),
    path("letters/<slug:slug>/sign/", letter_views.letter_sign, name="letter_sign"),
    path("letters/<slug:slug>/withdraw/", letter_views.letter_withdraw, name="letter_withdraw"),
]
