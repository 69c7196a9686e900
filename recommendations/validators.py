"""Checks on what the secretariat records, shared by the page forms, the admin and the services."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.models import Convening

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Extension -> the bytes such a file starts with. The browser's content type is not trusted:
# the first bytes must match what the name claims.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
}


def validate_not_in_future(value: dt.date, *, today: dt.date) -> None:
    if value > today:
        raise ValidationError(
            _("The date %(date)s is in the future; record an update once it has happened.")
            % {"date": date_format(value)},
            code="future",
        )


def validate_http_url(value: str) -> None:
    if not value:
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise ValidationError(
            _("Evidence links must be web addresses starting with http:// or https://."), code="scheme"
        ) from exc


def validate_evidence_file(upload: Any) -> None:
    if not upload:
        return
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; evidence files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    allowed = ", ".join(sorted(EVIDENCE_SIGNATURES))
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            _("Files of this type cannot be attached. Allowed: %(allowed)s.") % {"allowed": allowed}, code="type"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in EVIDENCE_SIGNATURES[extension]):
        raise ValidationError(
            _("The file's content does not match its %(extension)s name.") % {"extension": extension},
            code="type",
        )


def validate_not_before_convening(value: dt.date | None, *, convening: Convening) -> None:
    if value is not None and value < convening.start_date:
        raise ValidationError(
            _("The date %(date)s is before the convening (%(start)s).")
            % {"date": date_format(value), "start": date_format(convening.start_date)},
            code="before_convening",
        )
