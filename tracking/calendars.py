"""iCalendar (RFC 5545) files of dated commitments: pure, no Django.

The ``icalendar`` package does the escaping of text values and the folding of long lines that
RFC 5545 asks for; each event is a whole day (a due date or a closing date, not a meeting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODUCT_ID = "-//GSX Portal//Follow-up dates//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: dt.date
    summary: str
    description: str
    url: str
    cancelled: bool = False
    stamp: dt.datetime | None = None


def calendar_bytes(*, title: str, events: list[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
