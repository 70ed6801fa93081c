from typing import Any

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """The address someone tried to sign in with, whichever form field carried it.

    allauth authenticates with ``email=``; the login form posts ``login``.
    """
    for key in ("email", "username", "login"):
        value = (credentials or {}).get(key)
        if value:
            return str(value).strip().lower()
    return str(request.POST.get("login", "")).strip().lower()
