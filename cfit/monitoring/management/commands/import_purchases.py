"""python manage.py import_purchases FILE --organisation SLUG --year YYYY [--replace] [--dry-run]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfit.monitoring.models import PurchaseReport
from cfit.monitoring.services import ReportLocked, purchases_import
from cfit.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import purchase lines from a CSV or XLSX file into an organisation's report "
        "for a year. All lines are stored, or none: every problem is printed as "
        "'row N, column NAME: reason' and the command exits with 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A CSV or XLSX file.")
        parser.add_argument(
            "--organisation", required=True, help="The organisation's slug."
        )
        parser.add_argument(
            "--year", required=True, type=int, help="The reporting year."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the report's lines instead of adding to them.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what would be stored; store nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"No organisation with the slug {options['organisation']!r}."
            )
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"{year} is not a reporting year.")
        dry_run: bool = options["dry_run"]
        report = PurchaseReport.objects.filter(
            organisation=organisation, year=year
        ).first()
        if report is None:
            # Nothing is half-stored: a dry run starts no report.
            report = PurchaseReport(organisation=organisation, year=year)
            if not dry_run:
                report.save()
        try:
            with path.open("rb") as file:
                check = purchases_import(
                    report=report,
                    file=file,
                    by=None,
                    replace=options["replace"],
                    dry_run=dry_run or report.pk is None,
                    file_name=path.name,
                )
        except ReportLocked as locked:
            raise CommandError(str(locked)) from locked
        if not check.ok:
            if (
                report.pk is not None
                and not report.lines.exists()
                and not report.changes.exists()
            ):
                report.delete()
            for problem in check.problems:
                self.stderr.write(str(problem))
            if check.problem_count > len(check.problems):
                self.stderr.write(
                    f"... and {check.problem_count - len(check.problems)} more problems."
                )
            self.stderr.write(
                f"{check.problem_count} problem(s) found; nothing was stored."
            )
            raise SystemExit(1)
        verb = "would be stored (dry run)" if dry_run else "stored"
        mode = " replacing the report's lines" if options["replace"] else ""
        self.stdout.write(
            f"{check.line_count} lines, {check.device_count} devices {verb} in the "
            f"{year} report of {organisation.name}{mode}."
        )
