from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cfit.knowledge.event_services import event_send_reminders


class Command(BaseCommand):
    help = (
        "Remind the people registered for an event that starts tomorrow (in the "
        "event's time zone), once per event. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the reminders without sending anything.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = event_send_reminders(now=timezone.now(), dry_run=options["dry_run"])
        verb = "Would remind" if options["dry_run"] else "Reminded"
        self.stdout.write(
            f"{verb} {run.people} people of {run.events} events starting tomorrow."
        )
