from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("api/v1/", views.RootView.as_view(), name="root"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", views.ApiDocs.as_view(), name="docs"),
    path("api/v1/recommendations/", views.RecommendationList.as_view(), name="recommendations"),
    path("api/v1/recommendations/<path:reference>/", views.RecommendationDetail.as_view(), name="recommendation"),
    path("api/v1/convenings/", views.ConveningList.as_view(), name="convenings"),
    path("api/v1/convenings/<str:key>/", views.ConveningDetail.as_view(), name="convening"),
    path("api/v1/organizations/", views.OrganizationList.as_view(), name="organizations"),
    path("api/v1/organizations/<slug:slug>/", views.OrganizationDetail.as_view(), name="organization"),
    path("api/v1/themes/", views.ThemeList.as_view(), name="themes"),
    path("api/v1/addressees/", views.AddresseeList.as_view(), name="addressees"),
    path("api/v1/letters/", views.LetterList.as_view(), name="letters"),
    path("api/v1/letters/<slug:slug>/", views.LetterDetail.as_view(), name="letter"),
    path("api/v1/endorsements/", views.EndorsementList.as_view(), name="endorsements"),
]
