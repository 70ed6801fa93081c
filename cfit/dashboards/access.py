"""Who may see which dashboard: anything else is a 404, as everywhere on the site."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import (
    coordinates_organisation,
    groups_coordinated_by,
    member_organisations_of,
)
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import (
    is_organisation_member,
    is_secretariat,
    organisation_for_user,
)


def organisation_for_viewer(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, for its members, its coordinator and the secretariat."""
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not (
        is_organisation_member(user, organisation)
        or is_secretariat(user)
        or coordinates_organisation(user, organisation)
    ):
        raise Http404
    return organisation


def can_see_group_in_full(request: HttpRequest, group: BuyerGroup) -> bool:
    """The coordinator (or, in a self-organised group, no one but the secretariat)."""
    return is_secretariat(request.user) or (
        group.coordinator_id is not None
        and groups_coordinated_by(request.user).filter(pk=group.pk).exists()
    )


def group_for_viewer(request: HttpRequest, slug: str) -> tuple[BuyerGroup, bool]:
    """The group and whether the person sees it in full (per member); else 404."""
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not request.user.is_authenticated:
        raise Http404
    in_full = can_see_group_in_full(request, group)
    organisation = organisation_for_user(request.user)
    is_member = (
        organisation is not None
        and member_organisations_of(group).filter(pk=organisation.pk).exists()
    )
    if not (in_full or is_member):
        raise Http404
    return group, in_full
