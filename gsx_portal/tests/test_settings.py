"""Settings refuse to run unsafely and pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_missing_secret_key_when_debug_is_off() -> None:
    result = _manage("check", DEBUG="0", SITE_URL="https://portal.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_refuse_development_secret_key_when_debug_is_off() -> None:
    result = _manage("check", DEBUG="0", SECRET_KEY="django-insecure-gsx-development-key-never-use-in-production")

    assert result.returncode != 0


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Zq8#vX2!mP9@wL4$rT7^yU1&nB5*cE3(hJ6)" + "s" * 10,
    "ALLOWED_HOSTS": "portal.example",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SITE_URL": "https://portal.example",
}


def test_check_deploy_reports_nothing() -> None:
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_email_backend_when_debug_is_off() -> None:
    environment = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_BACKEND"}

    result = _manage("check", **environment)

    assert result.returncode != 0
    assert "EMAIL_BACKEND must be set when DEBUG is off" in result.stderr


def test_check_deploy_flags_an_explicit_console_backend() -> None:
    result = _manage(
        "check", "--deploy", **{**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )

    assert "gsx.W001" in result.stdout + result.stderr


def test_email_check_is_an_error_for_an_implicit_console_backend(settings: Any) -> None:
    from gsx_portal.checks import email_backend_delivers

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_BACKEND_EXPLICIT = False
    implicit = [message.id for message in email_backend_delivers()]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    smtp = [message.id for message in email_backend_delivers()]
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    development = [message.id for message in email_backend_delivers()]

    assert (implicit, smtp, development) == (["gsx.E001"], [], [])


def test_embedded_default_uses_sqlite_and_eager_tasks() -> None:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        DEBUG="1",
        DATABASE_URL="",
        CELERY_BROKER_URL="",
    )

    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.sqlite3 True"


def test_settings_refuse_missing_site_url_when_debug_is_off() -> None:
    result = _manage("check", DEBUG="0", SECRET_KEY="k" * 60, SITE_URL="")

    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
