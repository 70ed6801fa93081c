from django.http import HttpRequest

from cfit.organisations.selectors import organisation_for_user


def site(request: HttpRequest) -> dict[str, object]:
    """What the base layout shows on every page: the person's organisation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_organisation": None}
    return {"my_organisation": organisation_for_user(user)}
