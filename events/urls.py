from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("convenings/", views.ConveningListView.as_view(), name="convening_list"),
    path("convenings/<slug:slug>/", views.ConveningDetailView.as_view(), name="convening_detail"),
]
