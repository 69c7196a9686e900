"""A second factor (TOTP, with recovery codes) for staff, required, and for anyone who sets one up.

django-otp keeps the devices and marks a session verified (``django_otp.login``). Who must pass
the second factor is decided once, at log-in, and kept in the session, so pages ask no extra query:
staff always (they see confidential participants), and anyone who owns a confirmed device
(organization admins are offered one). Until a session is verified, ``SecondFactorMiddleware``
sends such a user to the verification page (or, for staff without a device, to the set-up page),
whatever page they ask for; ``is_secretariat`` also refuses an unverified staff session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

REQUIRED_SESSION_KEY = "gsx_second_factor_required"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
# Paths an unverified session may still reach: the second-factor pages themselves, logging out,
# static files and the language switch.
EXEMPT_PREFIXES = ("/accounts/second-factor/", "/accounts/logout/", "/static/", "/i18n/")


def has_second_factor(user: Any) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def second_factor_required(user: Any) -> bool:
    """Staff must pass a second factor; so must anyone who has set one up."""
    return bool(user.is_staff or has_second_factor(user))


@receiver(user_logged_in)
def _note_second_factor_required(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_SESSION_KEY] = second_factor_required(user)


def is_verified(user: Any) -> bool:
    """True for a request's user whose session passed the second factor (django-otp's flag)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified()) if callable(verified) else False


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: an unverified session that needs a second factor reaches
    nothing but the second-factor pages. /admin/ and /secretariat/ are refused outright."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if (
            user.is_authenticated
            and (user.is_staff or request.session.get(REQUIRED_SESSION_KEY))
            and not is_verified(user)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return self._to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _to_second_factor(request: HttpRequest) -> HttpResponse:
        target = "second_factor_verify" if has_second_factor(request.user) else "second_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: Any, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code from it; new recovery codes. None if wrong.

    Other devices are removed: one authenticator and one set of recovery codes per person.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """A fresh set of single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
