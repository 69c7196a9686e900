"""Dates in the reader's language, declined in Russian ("20 сентября 2017", not "20 Сентябрь 2017")."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from events.tests.factories import ConveningFactory
from recommendations.models import Letter
from recommendations.tests.factories import LetterFactory

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_hard_codes_a_date_format_with_month_names() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        for match in re.findall(r"date:\s*[\"']([^\"']*)[\"']", path.read_text())
        if not match.endswith("_FORMAT") and ("F" in match or "E" in match)
    ]

    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [("ru", "20 сентября 2017", "Сентябрь"), ("fr", "20 septembre 2017", "Septembre"), ("en", "20 September 2017", "")],
)
def test_pages_write_dates_in_the_readers_language(language: str, expected: str, wrong: str) -> None:
    convening = ConveningFactory.create(status="published", start_date=dt.date(2017, 9, 20))
    letter = LetterFactory.create(state=Letter.State.OPEN_FOR_SIGNATURE, opens_on=dt.date(2017, 9, 20))
    client = Client(HTTP_ACCEPT_LANGUAGE=language)

    for url in (convening.get_absolute_url(), letter.get_absolute_url()):
        page = client.get(url).content.decode()
        assert expected in page, url
        assert not wrong or wrong not in page, url
