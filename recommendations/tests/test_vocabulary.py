"""The theme and addressee vocabulary the migration installs, and its names in the active language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from recommendations.models import Addressee, Theme
from recommendations.tests.factories import RecommendationFactory
from recommendations.vocabulary import ADDRESSEES, THEMES, install_vocabulary

pytestmark = pytest.mark.django_db


def test_the_migration_installs_every_entry_with_three_names_and_a_lexicon() -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    addressees = {a.slug: a for a in Addressee.objects.all()}

    assert set(themes) >= {e.slug for e in THEMES}
    assert set(addressees) >= {e.slug for e in ADDRESSEES}
    for entry in THEMES:
        row = themes[entry.slug]
        assert (row.name_en, row.name_fr, row.name_ru) == (entry.en, entry.fr, entry.ru)
        assert row.lexicon.splitlines() == entry.terms
    assert addressees["donors"].group == Addressee.Group.DONORS


def test_installing_again_changes_nothing() -> None:
    before = (Theme.objects.count(), Addressee.objects.count())

    counts = install_vocabulary(Theme, Addressee)

    assert counts == {"created": 0, "filled": 0}
    assert (Theme.objects.count(), Addressee.objects.count()) == before


def test_installing_over_demo_themes_fills_them_by_slug_or_name_and_duplicates_nothing() -> None:
    Theme.objects.all().delete()
    Addressee.objects.all().delete()
    # As load_demo makes them: English names only; one typed by hand under another slug.
    Theme.objects.create(slug="youth", name="Youth", name_en="Youth")
    Theme.objects.create(slug="my-gender", name="Gender", name_en="Gender", lexicon="women")
    Addressee.objects.create(slug="donors", name="Donors", name_en="Donors", group=Addressee.Group.DONORS)

    counts = install_vocabulary(Theme, Addressee)

    assert counts == {"created": len(THEMES) + len(ADDRESSEES) - 3, "filled": 3}
    assert (Theme.objects.count(), Addressee.objects.count()) == (len(THEMES), len(ADDRESSEES))
    youth, gender = Theme.objects.get(slug="youth"), Theme.objects.get(slug="my-gender")
    assert (youth.name_fr, youth.name_ru, bool(youth.lexicon)) == ("Jeunesse", "Молодёжь", True)
    assert (gender.name_fr, gender.lexicon) == ("Genre", "women")  # what the secretariat wrote is kept


def test_theme_pages_and_the_api_show_the_name_in_the_reader_language() -> None:
    recommendation = RecommendationFactory.create(convening__status="published")
    recommendation.themes.add(Theme.objects.get(slug="trust-building"))
    client = Client()

    french = client.get(Theme.objects.get(slug="trust-building").get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    russian = client.get("/api/v1/themes/", HTTP_ACCEPT_LANGUAGE="ru")
    english = client.get("/api/v1/themes/", HTTP_ACCEPT_LANGUAGE="en")

    assert "Instauration de la confiance" in french.content.decode()
    assert "Укрепление доверия" in {row["name"] for row in russian.json()["results"]}
    assert "Trust-building" in {row["name"] for row in english.json()["results"]}


def test_the_admin_adds_a_theme_with_a_name_per_language(admin_client) -> None:
    response = admin_client.post(
        "/admin/recommendations/theme/add/",
        {
            "name_en": "Sport",
            "name_fr": "Sport et loisirs",
            "name_ru": "Спорт",
            "slug": "sport",
            "description": "",
            "lexicon": "sport\nfootball",
        },
    )

    assert response.status_code == 302
    theme = Theme.objects.get(slug="sport")
    assert (theme.name, theme.name_fr, theme.lexicon) == ("Sport", "Sport et loisirs", "sport\nfootball")
    with connection.cursor() as cursor:  # the untranslated column, which the admin hides, follows English
        cursor.execute("SELECT name FROM recommendations_theme WHERE slug = %s", ["sport"])
        assert cursor.fetchall() == [("Sport",)]
