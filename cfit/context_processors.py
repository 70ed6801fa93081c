from django.conf import settings
from django.http import HttpRequest

from cfit.organisations.selectors import organisation_for_user


def site(request: HttpRequest) -> dict[str, object]:
    """What the base layout shows on every page: the person's organisation, whom to write to."""
    user = getattr(request, "user", None)
    organisation = (
        organisation_for_user(user)
        if user is not None and user.is_authenticated
        else None
    )
    return {
        "my_organisation": organisation,
        "secretariat_email": settings.SECRETARIAT_EMAIL,
    }
