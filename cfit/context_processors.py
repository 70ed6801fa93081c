import functools

from django.conf import settings
from django.http import HttpRequest

from cfit.groups.selectors import unread_notice_count
from cfit.organisations.selectors import organisation_for_user


def site(request: HttpRequest) -> dict[str, object]:
    """What the base layout shows on every page: the person's organisation and their
    unread notices (read only if the page shows them: template tags run no queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "my_organisation": None,
            "unread_notices": 0,
            "secretariat_email": settings.SECRETARIAT_EMAIL,
        }
    return {
        "my_organisation": organisation_for_user(user),
        # A callable: the template calls it where it shows the count, at most once.
        "unread_notices": functools.cache(lambda: unread_notice_count(user)),
        "secretariat_email": settings.SECRETARIAT_EMAIL,
    }
