from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfit.accounts.models import User
from cfit.criteria.services import criteria_import


class Command(BaseCommand):
    help = (
        "Import criteria from a CSV file as drafts (new criteria or new versions), "
        "all or nothing. The drafts still need review and approval on the site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument(
            "--by",
            required=True,
            help="Email of the person the drafts are made by (needs the draft permission).",
        )

    def handle(self, *args: object, **options: object) -> None:
        path = options["path"]
        assert isinstance(path, Path)
        by = User.objects.filter(email__iexact=str(options["by"])).first()
        if by is None:
            raise CommandError(f"No person with the email {options['by']}.")
        try:
            versions = criteria_import(by=by, data=path.read_bytes())
        except ValidationError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(error.messages)
            ) from None
        except OSError as error:
            raise CommandError(f"The file cannot be read: {error}") from None
        self.stdout.write(f"{len(versions)} drafts made from {path.name}.")
