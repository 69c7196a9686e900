"""The portal's "today": one date for every reader and every default."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def portal_today(now: dt.datetime | None = None) -> dt.date:
    """Today in the portal's TIME_ZONE, whatever time zone is active for the request.

    "Overdue" must mean the same thing for a reader in Tokyo and one in New York.
    """
    moment = now or timezone.now()
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()
