from typing import Any

from django import template

from cfit.organisations.models import Organisation
from cfit.organisations.selectors import AnyUser, organisation_for_user

from ..models import LineQuery, PurchaseReport
from ..selectors import (
    DueReport,
    members_not_submitted,
    open_questions_for,
    reports_due_for_user,
    reports_to_review,
    reports_without_coordinator,
)

register = template.Library()


@register.simple_tag
def reports_due_for(user: AnyUser) -> list[DueReport]:
    return reports_due_for_user(user)


@register.simple_tag
def review_todo(user: AnyUser) -> dict[str, Any]:
    """What waits for a coordinator or the secretariat: reviews and members to remind."""
    waiting = list(reports_to_review(user))
    return {
        "to_review": [r for r in waiting if r.status == "submitted"],
        "with_procurer": [r for r in waiting if r.status == "queried"],
        "not_submitted": members_not_submitted(user),
    }


@register.simple_tag
def open_questions(user: AnyUser) -> list[LineQuery]:
    return list(open_questions_for(user))


@register.simple_tag
def secretariat_reports() -> list[PurchaseReport]:
    return list(reports_without_coordinator())


@register.simple_tag
def organisation_of(user: AnyUser) -> Organisation | None:
    return organisation_for_user(user)
