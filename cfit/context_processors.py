import functools

from django.conf import settings
from django.http import HttpRequest

from cfit.groups.selectors import unread_notice_count
from cfit.organisations.selectors import is_secretariat, organisation_for_user


def _navigation_key(request: HttpRequest) -> str:
    """What the cached navigation varies with, besides the language and the person:
    the page's address, which it marks as current, for pages with a fixed address
    (each nav entry is one). Any other page shares one copy, so that made-up
    addresses cannot fill the cache."""
    match = getattr(request, "resolver_match", None)
    fixed = match is not None and not (match.args or match.kwargs)
    return request.path if fixed else ""


def site(request: HttpRequest) -> dict[str, object]:
    """What the base layout shows on every page: the person's organisation and their
    unread notices (read only if the page shows them: template tags run no queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "my_organisation": None,
            "person_is_secretariat": False,
            "unread_notices": 0,
            "secretariat_email": settings.SECRETARIAT_EMAIL,
            "navigation_key": _navigation_key(request),
        }
    return {
        "my_organisation": organisation_for_user(user),
        # The one check (kept with the person's standing), not Django's `perms`.
        "person_is_secretariat": is_secretariat(user),
        # A callable: the template calls it where it shows the count, at most once.
        "unread_notices": functools.cache(lambda: unread_notice_count(user)),
        "secretariat_email": settings.SECRETARIAT_EMAIL,
        "navigation_key": _navigation_key(request),
    }
