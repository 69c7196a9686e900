"""An organization's API token: ``Authorization: Bearer gsx_…`` reads as a member of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from organizations.models import ApiToken
from organizations.services import api_token_hash

# Writing last_used_at on every request would turn reads into writes; once an hour is enough.
LAST_USED_PRECISION = dt.timedelta(hours=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Bearer <token>'."))
        key = header[1].decode("latin-1")
        token = (
            ApiToken.objects.active()
            .select_related("reader")
            .filter(key_hash=api_token_hash(key), reader__is_staff=False)
            .first()
        )
        if token is None:
            # One message for unknown, revoked and malformed keys: nothing to learn from it.
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.reader, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "organizationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("An organization's API token, made by its administrator on the My organization page.")
            ),
        }
