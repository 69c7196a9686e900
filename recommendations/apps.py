from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


def _drop_sqlite_triggers(using: str = "default", **kwargs: Any) -> None:
    from . import tally_triggers

    if connections[using].vendor == "sqlite":
        tally_triggers.uninstall(connections[using])


def _install_triggers(using: str = "default", **kwargs: Any) -> None:
    from . import tally_triggers

    tally_triggers.install(connections[using])


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"

    def ready(self) -> None:
        from events.signals import convening_published, convening_unpublished

        from . import receivers

        receivers.connect()
        convening_published.connect(receivers.suggest_recurrences, dispatch_uid="recommendations.recurrence")
        convening_published.connect(receivers.chains_changed, dispatch_uid="recommendations.chains-published")
        convening_unpublished.connect(receivers.chains_changed, dispatch_uid="recommendations.chains-unpublished")
        # The tallies' triggers outlive any table rebuild (tally_triggers.py says why).
        pre_migrate.connect(_drop_sqlite_triggers, sender=self, dispatch_uid="tally-triggers-drop")
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="tally-triggers-install")
