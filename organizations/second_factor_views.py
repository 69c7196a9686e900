"""Log-in's second step (a code from an authenticator, or a recovery code) and setting one up."""

from __future__ import annotations

import io
import textwrap
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp.forms import OTPTokenForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor_setup")
    # The authenticator app is chosen unless the person picks their recovery codes.
    app = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    initial = {"otp_device": app.persistent_id} if app else {}
    form = OTPTokenForm(request.user, request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, request.user.otp_device)  # type: ignore[union-attr]  # set by clean_otp
        return redirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "organizations/second_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status
    )


@never_cache
@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator. Replacing one needs a verified session: a password alone must not
    be enough to move someone's second factor onto another phone."""
    if second_factor.has_second_factor(request.user) and not second_factor.is_verified(request.user):
        return redirect("second_factor_verify")
    device = second_factor.totp_device_pending(user=request.user) if request.method == "POST" else None
    if request.method == "POST" and "token" in request.POST:
        confirmed = second_factor.totp_device_confirm(user=request.user, token=request.POST["token"])
        if confirmed is not None:
            totp, codes = confirmed
            django_otp.login(request, totp)
            request.session[second_factor.REQUIRED_SESSION_KEY] = True
            messages.success(request, _("Your second factor is set up."))
            return render(
                request, "organizations/second_factor_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        messages.error(request, _("That code is not right: type the six digits your app shows now."))
    context = {
        "device": device,
        # Base32, as authenticator apps take it when typed in by hand.
        "key": " ".join(textwrap.wrap(b32encode(device.bin_key).decode(), 4)) if device else "",
        "next": _next_url(request),
        "has_second_factor": second_factor.has_second_factor(request.user),
    }
    return render(request, "organizations/second_factor_setup.html", context)


@never_cache
@login_required
def second_factor_qr(request: HttpRequest) -> HttpResponse:
    """The pending authenticator's QR code, as SVG (no inline image data: CSP-friendly)."""
    if second_factor.has_second_factor(request.user) and not second_factor.is_verified(request.user):
        return HttpResponse(status=404)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
