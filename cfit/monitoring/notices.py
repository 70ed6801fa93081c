"""Who is told what at each step of a report's review, through the one `notify` helper.

Each step names its kind of event (people choose per kind how to hear about it) and has
its own email template under monitoring/email/.
"""

from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.groups.services import notify
from cfit.organisations.selectors import is_secretariat, organisation_for_user

from .models import LineQuery, PurchaseReport
from .selectors import report_members, report_reviewers


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
        text = _(
            "%(organisation)s answered the questions and sent its %(year)s purchase "
            "report again. It waits for your review."
        )
    elif reviewers.by_secretariat:
        text = _(
            "%(organisation)s sent its %(year)s purchase report. It is in no buyer "
            "group with a coordinator, so the secretariat reviews it."
        )
    else:
        text = _(
            "%(organisation)s sent its %(year)s purchase report. It waits for your review."
        )
    notify(
        recipients=reviewers.people,
        kind="report.submitted",
        text=text % values,
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
        text=_(
            "%(by)s asked a question about %(line)s in your %(year)s purchase report: "
            "“%(question)s”"
        )
        % {
            "by": _who(by),
            "line": query.line,
            "year": report.year,
            "question": query.question,
        },
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
        text=_("%(organisation)s answered your question about %(line)s: “%(answer)s”")
        % {
            "organisation": report.organisation.name,
            "line": query.line,
            "answer": query.answer,
        },
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_answered",
        context=_context(report, by, query=query, line=str(query.line)),
    )


def report_accepted(*, report: PurchaseReport, by: User) -> None:
    """Tell the organisation's people that their report is accepted."""
    notify(
        recipients=report_members(report),
        kind="report.accepted",
        text=_("Your %(year)s purchase report was accepted by %(by)s. Thank you!")
        % {"year": report.year, "by": _who(by)},
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_accepted",
        context=_context(report, by),
    )


def report_reopened(*, report: PurchaseReport, by: User, reason: str) -> None:
    """Tell the organisation's people (but not the one who reopened it) and why."""
    notify(
        recipients=[p for p in report_members(report) if p.pk != by.pk],
        kind="report.reopened",
        text=_(
            "%(by)s reopened your %(year)s purchase report: “%(reason)s” Change what is "
            "needed and submit it again."
        )
        % {"by": _who(by), "year": report.year, "reason": reason},
        url=report.get_absolute_url(),
        email_template="monitoring/email/report_reopened",
        context=_context(report, by, reason=reason),
    )
