"""Request types for views, so that type checking knows who is signed in."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from cfit.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: "HtmxDetails"


class AuthenticatedRequest(HtmxRequest):
    """The request of a view behind @login_required."""

    user: "User"
