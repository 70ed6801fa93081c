"""Reads of monitoring: who may see a report, what is due, totals, the review queue."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from cfit.accounts.models import User
from cfit.criteria.models import Criterion
from cfit.criteria.selectors import base_criteria_by_group
from cfit.groups.models import GroupMembershipStatus, Notice
from cfit.groups.selectors import (
    coordinates_organisation,
    coordinators_of,
    organisations_coordinated_by,
    people_of,
    secretariat_people,
)
from cfit.organisations.models import (
    Organisation,
    Signature,
    SignatureRole,
    SignatureStatus,
)
from cfit.organisations.selectors import (
    AnyUser,
    is_organisation_member,
    is_secretariat,
    organisation_for_user,
)

from .models import (
    LineQuery,
    PurchaseLine,
    PurchaseReport,
    ReportChange,
    ReportingPeriod,
    ReportStatus,
)


@dataclass(frozen=True)
class ReportAccess:
    """What a person may do with an organisation's reports."""

    is_member: bool
    is_coordinator: bool
    is_secretariat: bool

    @property
    def can_see(self) -> bool:
        return self.is_member or self.is_coordinator or self.is_secretariat

    @property
    def can_edit(self) -> bool:
        return self.is_member

    @property
    def can_review(self) -> bool:
        return self.is_coordinator or self.is_secretariat


def report_access(user: AnyUser, organisation: Organisation) -> ReportAccess:
    """Members, the coordinators of its buyer groups and the secretariat; no one else."""
    if not user.is_authenticated:
        return ReportAccess(False, False, False)
    return ReportAccess(
        is_member=is_organisation_member(user, organisation),
        is_coordinator=coordinates_organisation(user, organisation),
        is_secretariat=is_secretariat(user),
    )


@dataclass(frozen=True)
class GroupTotal:
    code: str
    name: str
    lines: int
    devices: int
    spend_eur: Decimal | None


@dataclass(frozen=True)
class ReportTotals:
    lines: int
    devices: int
    spend_eur: Decimal | None
    devices_retired: int
    per_group: list[GroupTotal]


def report_totals(report: PurchaseReport | None) -> ReportTotals:
    if report is None or report.pk is None:
        return ReportTotals(0, 0, None, 0, [])
    rows = list(
        report.lines.values("product_group__code", "product_group__name")
        .annotate(
            lines=Count("pk"),
            devices=Sum("quantity"),
            spend=Sum("spend_eur"),
            retired=Sum("devices_retired"),
        )
        .order_by("product_group__sort_order", "product_group__name")
    )
    per_group = [
        GroupTotal(
            code=row["product_group__code"],
            name=row["product_group__name"],
            lines=row["lines"],
            devices=row["devices"] or 0,
            # SQLite sums decimals as floats: bring them back to cents.
            spend_eur=None
            if row["spend"] is None
            else Decimal(row["spend"]).quantize(Decimal("0.01")),
        )
        for row in rows
    ]
    retired = sum(row["retired"] or 0 for row in rows)
    spends = [g.spend_eur for g in per_group if g.spend_eur is not None]
    return ReportTotals(
        lines=sum(g.lines for g in per_group),
        devices=sum(g.devices for g in per_group),
        spend_eur=sum(spends, Decimal("0")) if spends else None,
        devices_retired=retired,
        per_group=per_group,
    )


@dataclass(frozen=True)
class DueReport:
    period: ReportingPeriod
    report: PurchaseReport | None
    days_left: int

    @property
    def is_late(self) -> bool:
        return self.days_left < 0


def first_reporting_year(organisation: Organisation) -> int | None:
    """The first year the organisation reports: the first full year after it signed.

    None while it has no approved signature as a procurer (nothing is due yet).
    """
    signature = (
        Signature.objects.filter(
            organisation=organisation,
            role=SignatureRole.PROCURING,
            status=SignatureStatus.APPROVED,
        )
        .order_by("approved_on")
        .first()
    )
    return signature.first_reporting_year if signature else None


def reports_due(
    organisation: Organisation, *, today: date | None = None
) -> list[DueReport]:
    """Open reporting years whose report the organisation has not yet submitted.

    Only years from the first full year after its signature as a procurer was approved.
    """
    today = today or timezone.localdate()
    first_year = first_reporting_year(organisation)
    if first_year is None:
        return []
    reports = {
        r.year: r for r in PurchaseReport.objects.filter(organisation=organisation)
    }
    due = []
    for period in ReportingPeriod.objects.filter(
        open=True, year__gte=first_year
    ).order_by("deadline"):
        report = reports.get(period.year)
        if report is not None and not report.is_editable:
            continue
        due.append(
            DueReport(
                period=period, report=report, days_left=(period.deadline - today).days
            )
        )
    return due


def reports_due_for_user(user: AnyUser) -> list[DueReport]:
    organisation = organisation_for_user(user)
    return reports_due(organisation) if organisation else []


def reports_to_review(user: AnyUser) -> QuerySet[PurchaseReport]:
    """Submitted or queried reports that the person may review."""
    reports = PurchaseReport.objects.filter(
        status__in=[ReportStatus.SUBMITTED, ReportStatus.QUERIED]
    )
    if not is_secretariat(user):
        reports = reports.filter(organisation__in=organisations_coordinated_by(user))
    return reports.select_related("organisation").order_by("submitted_at")


def reports_of_coordinated(user: AnyUser) -> QuerySet[PurchaseReport]:
    """Every report of the organisations in the person's buyer groups."""
    return (
        PurchaseReport.objects.filter(
            organisation__in=organisations_coordinated_by(user)
        )
        .select_related("organisation")
        .annotate(line_count=Count("lines"), devices=Sum("lines__quantity"))
        .order_by("-year", "organisation__name")
    )


def open_queries(report: PurchaseReport) -> QuerySet[LineQuery]:
    return LineQuery.objects.filter(line__report=report, answered_at=None)


def report_history(report: PurchaseReport) -> QuerySet[ReportChange]:
    return report.changes.select_related("by")


@dataclass(frozen=True)
class LineRow:
    """A line as its report shows it, with what keeps it from counting as bought with
    the BASE criteria: the approved BASE criteria of its product group not ticked."""

    line: PurchaseLine
    missing_base: list[Criterion]


def lines_with_base_status(lines: Iterable[PurchaseLine]) -> list[LineRow]:
    """The lines (criteria prefetched), each with its missing BASE criteria."""
    base = base_criteria_by_group()
    rows = []
    for line in lines:
        ticked = {criterion.pk for criterion in line.criteria.all()}
        missing = [c for c in base.get(line.product_group_id, []) if c.pk not in ticked]
        rows.append(LineRow(line=line, missing_base=missing))
    return rows


@dataclass(frozen=True)
class Reviewers:
    """Who reviews an organisation's reports: its coordinators, or else the secretariat."""

    people: list[User]
    by_secretariat: bool


def report_reviewers(organisation: Organisation) -> Reviewers:
    """The people of the coordinators of the organisation's buyer groups.

    An organisation in no coordinated buyer group (its request still pending, say) is
    reviewed by the secretariat.
    """
    coordinators = list(coordinators_of(organisation).values_list("pk", flat=True))
    if coordinators:
        return Reviewers(people=list(people_of(coordinators)), by_secretariat=False)
    return Reviewers(people=list(secretariat_people()), by_secretariat=True)


def reviewed_by_secretariat(organisation: Organisation) -> bool:
    """Whether the secretariat reviews the organisation's reports (see report_reviewers),
    without reading who the people are."""
    return not coordinators_of(organisation).exists()


def report_members(report: PurchaseReport) -> list[User]:
    """The people who write the report: the organisation's active members."""
    return list(people_of([report.organisation_id]))


# A coordinator's "remind them" sends at most one reminder per member and year this often.
REMINDER_INTERVAL = timedelta(days=7)


def report_url(organisation: Organisation, year: int) -> str:
    return reverse(
        "monitoring:report", kwargs={"slug": organisation.slug, "year": year}
    )


def reminded_recently(organisation: Organisation, year: int) -> bool:
    """True when the organisation was reminded of this report in the past week."""
    return Notice.objects.filter(
        kind="report.reminder",
        url=report_url(organisation, year),
        created_at__gte=timezone.now() - REMINDER_INTERVAL,
    ).exists()


@dataclass(frozen=True)
class MemberToRemind:
    """A member organisation whose report for an open year is not started or in draft."""

    organisation: Organisation
    period: ReportingPeriod
    report: PurchaseReport | None
    reminded_recently: bool


def members_not_submitted(user: AnyUser) -> list[MemberToRemind]:
    """For a coordinator: members that owe a report and have not sent it yet."""
    organisations = list(organisations_coordinated_by(user).order_by("name"))
    periods = list(ReportingPeriod.objects.filter(open=True).order_by("deadline"))
    reports = {
        (r.organisation_id, r.year): r
        for r in PurchaseReport.objects.filter(
            organisation__in=organisations, year__in=[p.year for p in periods]
        )
    }
    rows = []
    for organisation in organisations:
        first_year = first_reporting_year(organisation)
        for period in periods:
            report = reports.get((organisation.pk, period.year))
            if first_year is None or first_year > period.year:
                continue
            if report is not None and report.status != ReportStatus.DRAFT:
                continue
            rows.append(
                MemberToRemind(
                    organisation=organisation,
                    period=period,
                    report=report,
                    reminded_recently=reminded_recently(organisation, period.year),
                )
            )
    return rows


def reports_without_coordinator() -> QuerySet[PurchaseReport]:
    """Submitted reports of organisations in no coordinated buyer group: the secretariat's."""
    coordinated = Organisation.objects.filter(
        group_memberships__status=GroupMembershipStatus.ACTIVE,
        group_memberships__group__coordinator__isnull=False,
    )
    return (
        PurchaseReport.objects.filter(status=ReportStatus.SUBMITTED)
        .exclude(organisation__in=coordinated)
        .select_related("organisation")
        .order_by("submitted_at")
    )


def open_questions_for(user: AnyUser) -> QuerySet[LineQuery]:
    """For a procurer: the questions about the organisation's lines still to answer."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return LineQuery.objects.none()
    return (
        LineQuery.objects.filter(
            line__report__organisation=organisation, answered_at=None
        )
        .select_related("line__report__organisation", "line__product_group")
        .order_by("asked_at")
    )


def review_todo_for(user: AnyUser) -> dict[str, object]:
    """What waits for a coordinator or the secretariat: reviews and members to remind."""
    waiting = list(reports_to_review(user))
    return {
        "to_review": [r for r in waiting if r.status == ReportStatus.SUBMITTED],
        "with_procurer": [r for r in waiting if r.status == ReportStatus.QUERIED],
        "not_submitted": members_not_submitted(user),
    }
