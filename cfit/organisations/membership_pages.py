"""The pages of people's memberships, shared by organisations and market parties.

Both have members with a role (member or administrator), requests to join that the
administrators decide, and the same words on the same pages. Each app keeps its own
access helper and its own services; these functions take them as arguments.
"""

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cfit.lib.typing import AuthenticatedRequest

from .forms import JoinRequestForm
from .models import MembershipStatus


class _Membership(Protocol):
    user: Any
    user_id: int


def join_request(
    request: AuthenticatedRequest,
    *,
    owner: Any,
    send: Callable[..., object],
) -> HttpResponse:
    """Ask to join an organisation or a party: `send(by=..., message=...)` is the
    owner's service that records the request and tells its administrators."""
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            send(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request is sent to the administrators of %(name)s.")
                % {"name": owner.name},
            )
            return redirect("accounts:home")
    return render(
        request,
        "organisations/membership_request.html",
        {"form": form, "organisation": owner},
    )


def members_context(
    memberships: QuerySet[Any], *, is_admin: bool, urls: str
) -> dict[str, Any]:
    """What components/members.html shows. `urls` is the URL namespace and prefix of
    the owner's member actions, e.g. "organisations:member" or "market:party-member"
    (the views are named <urls>-decide, <urls>-role and <urls>-remove)."""
    memberships = memberships.select_related("user")
    return {
        "members": memberships.filter(status=MembershipStatus.ACTIVE),
        "requests": memberships.filter(status=MembershipStatus.REQUESTED),
        "is_admin": is_admin,
        "decide_url": f"{urls}-decide",
        "role_url": f"{urls}-role",
        "remove_url": f"{urls}-remove",
    }


def member_action(
    request: AuthenticatedRequest,
    *,
    membership: _Membership,
    action: Callable[[], str],
    still_member: Callable[[], bool],
    members_page: str,
    owner: Model,
) -> HttpResponse:
    """Run an administrator's (or a leaving member's) action and say its outcome."""
    try:
        message = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    if not still_member():
        return redirect("accounts:home")
    return redirect(members_page, slug=owner.slug)  # type: ignore[attr-defined]


def decided(membership: _Membership, *, accept: bool) -> str:
    name = membership.user.display_name
    if accept:
        return _("%(name)s is now a member.") % {"name": name}
    return _("The request of %(name)s is declined.") % {"name": name}


def role_changed(membership: _Membership) -> str:
    return _("The role of %(name)s is changed.") % {
        "name": membership.user.display_name
    }


def removed(membership: _Membership, *, by: Any, left: str) -> str:
    """`left` is what someone who removed themselves reads ("You have left ...")."""
    if membership.user_id == by.pk:
        return left
    return _("%(name)s is no longer a member.") % {"name": membership.user.display_name}
