"""Reads about buyer groups that other areas rely on (monitoring, dashboards)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.accounts.standing import remembered
from cfit.lib.countries import country_name
from cfit.organisations.models import (
    MembershipStatus,
    Organisation,
    SignatureRole,
    SignatureStatus,
)
from cfit.organisations.selectors import (
    AnyUser,
    is_secretariat,
    organisation_for_user,
    organisations_with_approved_role,
)

from .models import (
    BuyerGroup,
    BuyerGroupMembership,
    GroupMembershipStatus,
    Notice,
    WorkingGroup,
    WorkingGroupStatus,
)


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


def people_of(organisations: Iterable[int]) -> QuerySet[User]:
    """The active members of the organisations with these ids."""
    return User.objects.filter(
        memberships__organisation_id__in=list(organisations),
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()


def secretariat_people() -> QuerySet[User]:
    return User.objects.filter(
        groups__permissions__codename="review_signature", is_active=True
    ).distinct()


def coordinators_of(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations that coordinate a buyer group the organisation is an active member of."""
    return Organisation.objects.filter(
        coordinated_groups__memberships__organisation=organisation,
        coordinated_groups__memberships__status=GroupMembershipStatus.ACTIVE,
    ).distinct()


def groups_of(organisation: Organisation) -> QuerySet[BuyerGroup]:
    return BuyerGroup.objects.filter(
        memberships__organisation=organisation,
        memberships__status=GroupMembershipStatus.ACTIVE,
    ).distinct()


def coordinates_organisation(user: User, organisation: Organisation) -> bool:
    """True when the person's organisation coordinates a group the organisation is in."""
    # Asked on every report page: kept with the person's standing.
    coordinated = remembered(
        user,
        "coordinated",
        lambda: frozenset(
            organisations_coordinated_by(user).values_list("pk", flat=True)
        ),
    )
    return organisation.pk in coordinated


# Who may do what in a buyer group -------------------------------------------------


def is_group_member(user: AnyUser, group: BuyerGroup) -> bool:
    """True when the person's organisation is an active member of the group."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return False
    return group.memberships.filter(
        organisation=organisation, status=GroupMembershipStatus.ACTIVE
    ).exists()


def is_group_coordinator(user: AnyUser, group: BuyerGroup) -> bool:
    organisation = organisation_for_user(user)
    return bool(
        organisation is not None
        and group.coordinator_id is not None
        and group.coordinator_id == organisation.pk
    )


def manages_group(user: AnyUser, group: BuyerGroup) -> bool:
    """The coordinator, or for a self-organised group its founding members."""
    if group.is_self_organised:
        organisation = organisation_for_user(user)
        return bool(
            organisation
            and group.memberships.filter(
                organisation=organisation,
                status=GroupMembershipStatus.ACTIVE,
                is_founding_member=True,
            ).exists()
        )
    return is_group_coordinator(user, group)


def can_see_members_area(user: AnyUser, group: BuyerGroup) -> bool:
    """Members, the coordinator and the secretariat see a group's members' page."""
    return (
        is_group_member(user, group)
        or is_group_coordinator(user, group)
        or is_secretariat(user)
    )


def is_group_representative(user: AnyUser) -> bool:
    """A person whose organisation is in, or coordinates, at least one buyer group.

    They speak for their group in the Strategic Buyer Group's complex issues.
    """
    if is_secretariat(user):
        return True
    organisation = organisation_for_user(user)
    if organisation is None:
        return False
    return (
        groups_of(organisation).exists()
        or BuyerGroup.objects.filter(coordinator=organisation).exists()
    )


def open_membership(
    group: BuyerGroup, organisation: Organisation
) -> BuyerGroupMembership | None:
    return group.memberships.filter(
        organisation=organisation,
        status__in=[GroupMembershipStatus.REQUESTED, GroupMembershipStatus.ACTIVE],
    ).first()


def join_refusal(user: AnyUser, group: BuyerGroup) -> str:
    """Why the person's organisation cannot ask to join the group; '' when it can."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return _("Only people who belong to an organisation can ask to join a group.")
    if group.coordinator_id == organisation.pk:
        return _("Your organisation coordinates this group.")
    if not organisation.has_approved_signature(SignatureRole.PROCURING):
        return _(
            "Only organisations that signed the Pact as procuring organisation, "
            "and whose signature is approved, can join a buyer group."
        )
    existing = open_membership(group, organisation)
    if existing and existing.status == GroupMembershipStatus.ACTIVE:
        return _("Your organisation is already a member of this group.")
    if existing:
        return _("Your organisation has already asked to join. Wait for an answer.")
    return ""


def coordinator_country_exists(country: str) -> bool:
    """True when an organisation in the country has an approved coordinating signature."""
    return (
        organisations_with_approved_role(SignatureRole.COORDINATING)
        .filter(country=country)
        .exists()
    )


@dataclass(frozen=True)
class MyGroup:
    group: BuyerGroup
    role: str  # "coordinator", "founding member", "member", "asked to join"


def groups_for_person(user: AnyUser) -> list[MyGroup]:
    """The buyer groups the person's organisation coordinates, is in, or asked to join."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return []
    rows = [
        MyGroup(group=group, role=str(_("Coordinator")))
        for group in BuyerGroup.objects.filter(coordinator=organisation)
    ]
    memberships = (
        BuyerGroupMembership.objects.filter(
            organisation=organisation,
            status__in=[GroupMembershipStatus.ACTIVE, GroupMembershipStatus.REQUESTED],
        )
        .select_related("group")
        .order_by("group__name")
    )
    for membership in memberships:
        if membership.status == GroupMembershipStatus.REQUESTED:
            role = str(_("Asked to join"))
        elif membership.is_founding_member:
            role = str(_("Founding member"))
        else:
            role = str(_("Member"))
        rows.append(MyGroup(group=membership.group, role=role))
    return rows


def pending_requests_for(user: AnyUser) -> QuerySet[BuyerGroupMembership]:
    """Join requests waiting for an answer from the person (coordinator or founder)."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return BuyerGroupMembership.objects.none()
    founded = BuyerGroupMembership.objects.filter(
        organisation=organisation,
        status=GroupMembershipStatus.ACTIVE,
        is_founding_member=True,
        group__coordinator__isnull=True,
    ).values("group")
    return BuyerGroupMembership.objects.filter(
        Q(group__coordinator=organisation) | Q(group__in=founded),
        status=GroupMembershipStatus.REQUESTED,
    ).select_related("group", "organisation")


# The Strategic Buyer Group -------------------------------------------------------


@dataclass(frozen=True)
class GroupOverview:
    group: BuyerGroup
    members: list[Organisation]


@dataclass(frozen=True)
class StrategicBuyerGroup:
    groups: list[GroupOverview]
    organisations: int
    countries: list[str]


def strategic_buyer_group() -> StrategicBuyerGroup:
    """Every buyer group with its active members: together, the Strategic Buyer Group."""
    groups = list(
        BuyerGroup.objects.select_related("coordinator").prefetch_related(
            Prefetch(
                "memberships",
                queryset=BuyerGroupMembership.objects.filter(
                    status=GroupMembershipStatus.ACTIVE
                )
                .select_related("organisation")
                .order_by("organisation__name"),
                to_attr="active_memberships",
            )
        )
    )
    overviews = [
        GroupOverview(
            group=group,
            members=[m.organisation for m in group.active_memberships],
        )
        for group in groups
    ]
    organisation_ids = {o.pk for g in overviews for o in g.members} | {
        g.coordinator_id for g in groups if g.coordinator_id
    }
    countries = sorted(
        {country_name(g.country) for g in groups if g.country}, key=str.casefold
    )
    return StrategicBuyerGroup(
        groups=overviews, organisations=len(organisation_ids), countries=countries
    )


# Working groups -----------------------------------------------------------------


def is_signatory_person(user: AnyUser) -> bool:
    """A person whose organisation has at least one approved signature."""
    organisation = organisation_for_user(user)
    return bool(
        organisation
        and organisation.signatures.filter(status=SignatureStatus.APPROVED).exists()
    )


def is_working_group_member(user: AnyUser, working_group: WorkingGroup) -> bool:
    return bool(
        user.is_authenticated
        and working_group.memberships.filter(user_id=user.pk).exists()
    )


def can_see_working_group(user: AnyUser, working_group: WorkingGroup) -> bool:
    """Opened groups are public; a proposal only for its proposer and the secretariat."""
    if working_group.status in (WorkingGroupStatus.ACTIVE, WorkingGroupStatus.CLOSED):
        return True
    return is_secretariat(user) or bool(
        user.is_authenticated and working_group.proposed_by_id == user.pk
    )


def can_see_working_group_documents(user: AnyUser, working_group: WorkingGroup) -> bool:
    return can_see_working_group(user, working_group) and (
        is_working_group_member(user, working_group) or is_secretariat(user)
    )


def working_groups_visible_to(user: AnyUser) -> QuerySet[WorkingGroup]:
    groups = (
        WorkingGroup.objects.prefetch_related("product_groups")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    if is_secretariat(user):
        return groups
    if user.is_authenticated:
        return groups.filter(
            Q(status__in=[WorkingGroupStatus.ACTIVE, WorkingGroupStatus.CLOSED])
            | Q(proposed_by_id=user.pk)
        )
    return groups.filter(
        status__in=[WorkingGroupStatus.ACTIVE, WorkingGroupStatus.CLOSED]
    )


# Notices ------------------------------------------------------------------------


def unread_notice_count(user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    # Shown on every page: kept with the person's standing (notices move its token).
    return remembered(
        user,
        "unread_notices",
        lambda: Notice.objects.filter(
            recipient_id=user.pk, read_at__isnull=True
        ).count(),
    )


def can_offer_coordination(user: AnyUser, group: BuyerGroup) -> bool:
    """A coordinating signatory (of the group's country) may offer to coordinate a
    self-organised group that has no offer waiting."""
    organisation = organisation_for_user(user)
    return bool(
        organisation is not None
        and group.is_self_organised
        and group.coordination_offered_by_id is None
        and (not group.country or group.country == organisation.country)
        and organisation.has_approved_signature(SignatureRole.COORDINATING)
    )
