"""Reads about buyer groups that other areas rely on (monitoring, dashboards)."""

from django.db.models import QuerySet

from cfit.accounts.models import User
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import AnyUser, organisation_for_user

from .models import BuyerGroup, GroupMembershipStatus


def groups_coordinated_by(user: AnyUser) -> QuerySet[BuyerGroup]:
    """Buyer groups whose coordinating organisation is the person's organisation."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return BuyerGroup.objects.none()
    return BuyerGroup.objects.filter(coordinator=organisation)


def member_organisations_of(group: BuyerGroup) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        group_memberships__group=group,
        group_memberships__status=GroupMembershipStatus.ACTIVE,
    ).distinct()


def organisations_coordinated_by(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations that are active members of a group the person's organisation coordinates."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        group_memberships__group__coordinator=organisation,
        group_memberships__status=GroupMembershipStatus.ACTIVE,
    ).distinct()


def groups_of(organisation: Organisation) -> QuerySet[BuyerGroup]:
    return BuyerGroup.objects.filter(
        memberships__organisation=organisation,
        memberships__status=GroupMembershipStatus.ACTIVE,
    ).distinct()


def coordinates_organisation(user: User, organisation: Organisation) -> bool:
    """True when the person's organisation coordinates a group the organisation is in."""
    return organisations_coordinated_by(user).filter(pk=organisation.pk).exists()
