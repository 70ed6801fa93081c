"""Emails about buyer groups and working groups, sent in the background."""

from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse

from cfit.accounts.models import User
from cfit.lib.mail import send_rendered_mail, send_templated_mail
from cfit.organisations.models import MembershipStatus

from .models import BuyerGroupMembership, GroupMembershipStatus, WorkingGroup


def _emails(people: QuerySet[User]) -> list[str]:
    return sorted(set(people.values_list("email", flat=True)))


def _people_of(organisation_ids: list[int]) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation_id__in=organisation_ids,
        memberships__status=MembershipStatus.ACTIVE,
    )


def _send(template: str, context: dict[str, object], to: list[str]) -> None:
    send_templated_mail("groups/email/" + template, context, to)


@task()
def notify_join_request(*, membership_id: int) -> None:
    """Tell the coordinator's people (or the founders' people) about a join request."""
    membership = BuyerGroupMembership.objects.select_related(
        "group", "organisation", "requested_by"
    ).get(pk=membership_id)
    group = membership.group
    if group.coordinator_id:
        managers = [group.coordinator_id]
    else:
        managers = list(
            group.memberships.filter(
                status=GroupMembershipStatus.ACTIVE, is_founding_member=True
            ).values_list("organisation_id", flat=True)
        )
    _send(
        "join_request",
        {
            "membership": membership,
            "url": reverse("groups:requests", kwargs={"slug": group.slug}),
        },
        _emails(_people_of(managers)),
    )


@task()
def notify_join_decided(*, membership_id: int) -> None:
    """Tell the requesting organisation's people the answer, with its message."""
    membership = BuyerGroupMembership.objects.select_related(
        "group", "organisation"
    ).get(pk=membership_id)
    _send(
        "join_decided",
        {
            "membership": membership,
            "accepted": membership.status == GroupMembershipStatus.ACTIVE,
            "url": reverse("groups:members", kwargs={"slug": membership.group.slug})
            if membership.status == GroupMembershipStatus.ACTIVE
            else membership.group.get_absolute_url(),
        },
        _emails(_people_of([membership.organisation_id])),
    )


@task()
def notify_working_group_proposed(*, working_group_id: int) -> None:
    """Tell the secretariat that a working group waits for its decision."""
    working_group = WorkingGroup.objects.select_related(
        "proposed_by", "proposed_by_organisation"
    ).get(pk=working_group_id)
    secretariat = User.objects.filter(
        groups__permissions__codename="review_signature", is_active=True
    )
    _send(
        "working_group_proposed",
        {"working_group": working_group, "url": working_group.get_absolute_url()},
        _emails(secretariat),
    )


@task()
def notify_working_group_decided(*, working_group_id: int) -> None:
    """Tell the proposer whether the working group is opened or declined."""
    working_group = WorkingGroup.objects.select_related("proposed_by").get(
        pk=working_group_id
    )
    if working_group.proposed_by is None:
        return
    _send(
        "working_group_decided",
        {"working_group": working_group, "url": working_group.get_absolute_url()},
        [working_group.proposed_by.email],
    )


@task()
def send_notice_email(*, subject: str, body: str, to: list[str]) -> None:
    """Send an email that `notify` rendered, one message per person."""
    send_rendered_mail(subject, body, to)
