"""System checks of our own configuration rules (registered by organizations.apps)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Backends that never deliver: their mail lands in the process's output or memory.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security)
def email_backend_delivers(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    """Password-reset and sign-up mails carry working tokens: printed to a log, anyone reading it
    can take over an account. With DEBUG off the backend must deliver, unless EMAIL_BACKEND was set
    on purpose (a staging copy that prints its mail)."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in NON_DELIVERING_BACKENDS:
        return []
    if not getattr(settings, "EMAIL_BACKEND_EXPLICIT", False):
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DEBUG off: password-reset links would be "
                "written to the server's output instead of being sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST, or set "
                "EMAIL_BACKEND explicitly to the console backend if that is really wanted.",
                id="gsx.E001",
            )
        ]
    return [
        Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DEBUG off (set explicitly): no mail is delivered, "
            "and password-reset links are written to the server's output.",
            hint="Use the SMTP backend in production.",
            id="gsx.W001",
        )
    ]
