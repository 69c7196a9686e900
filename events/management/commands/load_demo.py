"""Load the demo convening, organizations and users. Safe to run any number of times."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from events import demo
from events.models import Convening
from events.services import demo_load


class Command(BaseCommand):
    help = "Load demo content (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_load()
        self._record_statuses()
        self.stdout.write(self.style.SUCCESS("Demo content is loaded. Demo logins (username / password):"))
        for username, password, what in logins:
            self.stdout.write(f"  {username:<12} {password:<24} {what}")

    def _record_statuses(self) -> None:
        # Statuses come from the timeline, as staff record them: through the service that also
        # derives the overall status. Imported here: events sits below recommendations.
        from recommendations.models import StatusUpdate
        from recommendations.services import status_update_record

        convening = Convening.objects.get(slug=demo.CONVENING["slug"])
        reported_on = convening.end_date or convening.start_date
        for number, *_, status in demo.RECOMMENDATIONS:
            recommendation = convening.recommendations.get(number=number)
            if recommendation.status_updates.exists():
                continue  # a second run adds nothing
            for addressee in recommendation.addressees.all():
                status_update_record(
                    recommendation=recommendation,
                    addressee=addressee,
                    status=status,
                    date=reported_on,
                    source=StatusUpdate.Source.SECRETARIAT,
                    public_reason="Recorded with the demo content.",
                )
