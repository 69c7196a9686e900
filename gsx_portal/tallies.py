"""Tallies: denormalised counts that the database keeps (recommendations migration 0009's triggers).

A model with tallies never writes them from a copy in memory: ``save()`` on an existing row leaves
them out, so an admin form opened before an endorsement arrived cannot put back the old number.
Only the triggers and ``recommendations.services.tallies_reconcile`` write them, in SQL.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class KeepsTallies(models.Model):
    tally_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.tally_fields
            ]
        super().save(*args, **kwargs)
