from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """The summary importer: no models of its own; it writes convenings, recommendations and
    organizations through their apps, and no app imports it."""

    name = "importing"
