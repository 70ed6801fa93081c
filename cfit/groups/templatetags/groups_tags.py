"""Small look-ups for the shared layout: the header's notice count and My page's groups."""

from django import template

from cfit.groups import selectors
from cfit.groups.selectors import MyGroup
from cfit.organisations.selectors import AnyUser

register = template.Library()


@register.simple_tag
def unread_notices(user: AnyUser) -> int:
    return selectors.unread_notice_count(user)


@register.simple_tag
def my_buyer_groups(user: AnyUser) -> list[MyGroup]:
    return selectors.groups_for_person(user)


@register.simple_tag
def requests_waiting(user: AnyUser) -> int:
    return selectors.pending_requests_for(user).count()
