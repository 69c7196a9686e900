from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("menu-counts/", views.menu_counts, name="menu_counts"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/inputs/", views.input_create, name="input_create"),
    path("consultations/<int:pk>/compare/", views.consultation_compare, name="compare"),
]
