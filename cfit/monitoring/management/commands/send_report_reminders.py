"""Remind organisations whose purchase report is not in before the deadline."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cfit.monitoring.models import PurchaseReport, ReportingPeriod, ReportStatus
from cfit.monitoring.notices import report_reminder
from cfit.monitoring.selectors import first_reporting_year
from cfit.organisations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    SignatureRole,
)
from cfit.organisations.selectors import organisations_with_approved_role


class Command(BaseCommand):
    help = (
        "Email the administrators of every procuring signatory whose report for an open "
        "reporting year is not submitted, when the deadline is exactly one of --days away. "
        "Run it daily: each reminder goes out once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            default="30,7,1",
            help="Days before the deadline on which to remind, comma separated (default 30,7,1).",
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would be reminded; send nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: date = options["today"] or timezone.localdate()
        days = {int(d) for d in str(options["days"]).split(",") if d.strip()}
        done = {
            (r.organisation_id, r.year)
            for r in PurchaseReport.objects.exclude(
                status__in=[ReportStatus.DRAFT, ReportStatus.QUERIED]
            )
        }
        sent = organisations_reminded = 0
        for period in ReportingPeriod.objects.filter(open=True):
            if (period.deadline - today).days not in days:
                continue
            for organisation in organisations_with_approved_role(
                SignatureRole.PROCURING
            ):
                if (organisation.pk, period.year) in done:
                    continue
                first_year = first_reporting_year(organisation)
                if first_year is None or first_year > period.year:
                    continue  # signed during or after that year: not due yet
                to = list(
                    Membership.objects.filter(
                        organisation=organisation,
                        status=MembershipStatus.ACTIVE,
                        role=MembershipRole.ADMIN,
                    ).values_list("user__email", flat=True)
                )
                if not to:
                    continue
                organisations_reminded += 1
                sent += len(to)
                if options["verbosity"] > 1 or options["dry_run"]:
                    self.stdout.write(
                        f"{organisation.name} {period.year}: {', '.join(to)}"
                    )
                if not options["dry_run"]:
                    report_reminder(organisation=organisation, period=period)
        verb = "would be sent (dry run)" if options["dry_run"] else "sent"
        self.stdout.write(
            f"{sent} reminder(s) to {organisations_reminded} organisation(s) {verb}."
        )
