"""Send the weekly digest: one email per person with the notices they chose to get weekly."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cfit.groups.services import notices_send_digests


class Command(BaseCommand):
    help = (
        "Send each person one email listing the notices they chose to receive in a "
        "weekly digest. Run it once a week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the digests that would be sent; send nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, notices = notices_send_digests(dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            f"{verb} {people} weekly digest{'s' if people != 1 else ''} "
            f"covering {notices} notice{'s' if notices != 1 else ''}."
        )
