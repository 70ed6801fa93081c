"""python manage.py import_ocds FILE --organisation SLUG --year YYYY [--dry-run]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfit.monitoring import ocds, rows
from cfit.monitoring.models import PurchaseReport
from cfit.monitoring.services import ReportLocked
from cfit.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Propose purchase lines from an OCDS release or record package (JSON) and "
        "store them in an organisation's report for a year: items of laptops, "
        "smartphones and other product groups, by their CPV code. Lines already "
        "stored (same ocid and item) are left out. Condition, lifetime, ecolabels and "
        "criteria are not in OCDS: complete them on the report's page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="An OCDS package, as JSON.")
        parser.add_argument(
            "--organisation", required=True, help="The organisation's slug."
        )
        parser.add_argument(
            "--year", required=True, type=int, help="The reporting year."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the proposed lines; store nothing.",
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
        try:
            proposal = ocds.propose_from_file(
                path.read_bytes(), organisation=organisation, year=year
            )
        except ocds.PackageRefused as refused:
            raise CommandError(str(refused)) from refused
        for line in proposal.lines:
            self.stdout.write(
                f"{line.tender_reference}: {line.quantity or '?'} × "
                f"{line.product_group} {line.amount} {line.currency}".rstrip()
            )
        summary = (
            f"{len(proposal.lines)} lines proposed, {proposal.already_stored} already "
            f"stored, {proposal.unrelated} items of other products, "
            f"{proposal.other_years} of other years"
        )
        if options["dry_run"] or not proposal.lines:
            self.stdout.write(summary + "; nothing stored.")
            return
        report, _created = PurchaseReport.objects.get_or_create(
            organisation=organisation, year=year
        )
        try:
            result = rows.lines_import_rows(
                report=report,
                rows=[ocds.as_row(line) for line in proposal.lines],
                by=None,
                source=f"OCDS {path.name}",
            )
        except ReportLocked as locked:
            raise CommandError(str(locked)) from locked
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            self.stderr.write(summary + "; nothing stored.")
            raise SystemExit(1)
        self.stdout.write(
            f"{summary}; {result.check.line_count} lines stored in the {year} report "
            f"of {organisation.name}."
        )
