"""Accounts, My organization and verification.

Django's own authentication views keep their usual, un-namespaced names (``login``,
``password_reset`` ...) because they reverse each other by those names.
"""

from django.urls import include, path

from . import account_views as views
from . import second_factor_views, throttling

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/done/", views.signup_done, name="signup_done"),
    path("accounts/signup/resend/", views.signup_resend, name="signup_resend"),
    path("accounts/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup_confirm"),
    path("accounts/second-factor/", second_factor_views.second_factor_verify, name="second_factor_verify"),
    path("accounts/second-factor/setup/", second_factor_views.second_factor_setup, name="second_factor_setup"),
    path("accounts/second-factor/setup/qr.svg", second_factor_views.second_factor_qr, name="second_factor_qr"),
    # Django's own views, throttled (organizations/throttling.py); the rest of auth.urls as it is.
    path("accounts/login/", throttling.ThrottledLoginView.as_view(), name="login"),
    path("accounts/password_reset/", throttling.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data/download/", views.my_data_download, name="my_data_download"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/organization/", views.organization_choose, name="organization_choose"),
    path("my-organization/", views.my_organization_index, name="my_organization_index"),
    path("my-organization/<slug:slug>/", views.my_organization, name="my_organization"),
    path("my-organization/<slug:slug>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("my-organization/<slug:slug>/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("memberships/<int:pk>/approve/", views.membership_approve, name="membership_approve"),
    path("memberships/<int:pk>/reject/", views.membership_reject, name="membership_reject"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("secretariat/organizations/", views.organizations_pending, name="organizations_pending"),
    path("secretariat/organizations/<slug:slug>/verify/", views.organization_verify, name="organization_verify"),
    path("secretariat/organizations/<slug:slug>/merge/", views.organization_merge, name="organization_merge"),
]
