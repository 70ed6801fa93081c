"""Who is told what at each step of a report's review, through the one `notify` helper.

Each step names its kind of event (people choose per kind how to hear about it) and has
its own email template under monitoring/email/.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfit.accounts.models import User
from cfit.groups.services import notify
from cfit.organisations.models import MembershipRole, MembershipStatus, Organisation
from cfit.organisations.selectors import is_secretariat, organisation_for_user

from .models import LineQuery, PurchaseReport, ReportingPeriod
from .selectors import (
    reminded_recently,
    report_members,
    report_reviewers,
    report_url,
)


def _who(person: User) -> str:
    """How the others read the actor: their organisation, or the secretariat."""
    if is_secretariat(person):
        return _("the secretariat of the Pact")
    organisation = organisation_for_user(person)
    return organisation.name if organisation else str(person)


def _context(report: PurchaseReport, by: User, **extra: object) -> dict[str, object]:
    return {
        "report": report,
        "organisation": report.organisation.name,
        "year": report.year,
        "by": _who(by),
        **extra,
    }


def report_submitted(*, report: PurchaseReport, by: User, again: bool) -> None:
    """Tell the reviewers that a report waits for them."""
    reviewers = report_reviewers(report.organisation)
    values = {"organisation": report.organisation.name, "year": report.year}
    if again:
        text = gettext_lazy(
            "%(organisation)s answered the questions and sent its %(year)s purchase "
            "report again. It waits for your review."
        )
    elif reviewers.by_secretariat:
        text = gettext_lazy(
            "%(organisation)s sent its %(year)s purchase report. It is in no buyer "
            "group with a coordinator, so the secretariat reviews it."
        )
    else:
        text = gettext_lazy(
            "%(organisation)s sent its %(year)s purchase report. It waits for your review."
        )
    notify(
        recipients=reviewers.people,
        kind="report.submitted",
        text=lambda: text % values,
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_submitted",
        context=_context(report, by, by_secretariat=reviewers.by_secretariat),
    )


def report_queried(*, query: LineQuery, by: User) -> None:
    """Tell the organisation's people that their coordinator asks about a line."""
    report = query.line.report
    notify(
        recipients=report_members(report),
        kind="report.queried",
        text=lambda: (
            _(
                "%(by)s asked a question about %(line)s in your %(year)s purchase report: "
                "“%(question)s”"
            )
            % {
                "by": _who(by),
                "line": query.line,
                "year": report.year,
                "question": query.question,
            }
        ),
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_queried",
        context=_context(report, by, query=query, line=str(query.line)),
    )


def report_answered(*, query: LineQuery, by: User) -> None:
    """Tell the reviewers that the procurer answered their question."""
    report = query.line.report
    notify(
        recipients=report_reviewers(report.organisation).people,
        kind="report.answered",
        text=lambda: (
            _("%(organisation)s answered your question about %(line)s: “%(answer)s”")
            % {
                "organisation": report.organisation.name,
                "line": query.line,
                "answer": query.answer,
            }
        ),
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_answered",
        context=_context(report, by, query=query, line=str(query.line)),
    )


def report_accepted(*, report: PurchaseReport, by: User) -> None:
    """Tell the organisation's people that their report is accepted."""
    notify(
        recipients=report_members(report),
        kind="report.accepted",
        text=lambda: (
            _("Your %(year)s purchase report was accepted by %(by)s. Thank you!")
            % {"year": report.year, "by": _who(by)}
        ),
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_accepted",
        context=_context(report, by),
    )


def report_reopened(*, report: PurchaseReport, by: User, reason: str) -> None:
    """Tell the organisation's people (but not the one who reopened it) and why."""
    notify(
        recipients=[p for p in report_members(report) if p.pk != by.pk],
        kind="report.reopened",
        text=lambda: (
            _(
                "%(by)s reopened your %(year)s purchase report: “%(reason)s” Change what is "
                "needed and submit it again."
            )
            % {"by": _who(by), "year": report.year, "reason": reason}
        ),
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_reopened",
        context=_context(report, by, reason=reason),
    )


class AlreadyReminded(Exception):
    """The organisation was reminded of this report less than a week ago."""


def report_reminder(
    *, organisation: Organisation, period: ReportingPeriod, by: User | None = None
) -> list[User]:
    """Remind the organisation's administrators that its report is due; who was told.

    From a coordinator's "remind them" button, at most once a week per organisation and
    year (AlreadyReminded otherwise).
    """
    if by is not None and reminded_recently(organisation, period.year):
        raise AlreadyReminded(
            _("%(organisation)s was already reminded this week.")
            % {"organisation": organisation.name}
        )
    admins = list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role=MembershipRole.ADMIN,
            is_active=True,
        )
    )
    deadline = date_format(period.deadline, "DATE_FORMAT")
    notify(
        recipients=admins,
        kind="report.reminder",
        text=lambda: (
            _(
                "The %(year)s purchase report of %(organisation)s is due on %(deadline)s "
                "and has not been submitted yet."
            )
            % {
                "year": period.year,
                "organisation": organisation.name,
                "deadline": date_format(period.deadline, "DATE_FORMAT"),
            }
        ),
        url=report_url(organisation, period.year),
        email_template="monitoring/email/reminder",
        context={
            "year": period.year,
            "deadline": deadline,
            "organisation": organisation.name,
            "by": _who(by) if by else _("the secretariat of the Pact"),
        },
    )
    return admins
