from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """The summary importer: one model of its own (an upload being read in the background); it
    writes convenings, recommendations and organizations through their apps, and no app imports it."""

    name = "importing"
