"""Three rules for every request: refuse what the database cannot hold, keep signed-in
pages out of caches, and keep the secretariat behind a second factor."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cfit.api.problems import problem_response
from cfit.lib.i18n import bare_path

from .selectors import has_second_factor, needs_second_factor

Handler = Callable[[HttpRequest], HttpResponse]
NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for source in sources
        for key, values in source.lists()
    )


class RefuseUnstorableInputMiddleware:
    """A NUL character cannot be stored by PostgreSQL and no person types one: say so."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            if request.path.startswith("/api/"):
                # The API answers every error as a problem document, this one too.
                return problem_response(
                    400, _("The request holds a NUL character, which cannot be stored.")
                )
            return render(request, "security/refused.html", status=400)
        return self.get_response(request)


class PrivatePagesNotStoredMiddleware:
    """Pages and downloads for a signed-in person must not stay in a browser's or a
    proxy's cache: the next person at a shared computer would see them. Pages for
    visitors keep their usual caching."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SecondFactorRequiredMiddleware:
    """The secretariat reaches no page before an authenticator app is set up; only the
    pages that set one up (and signing out) stay open to them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._open_prefixes: tuple[str, ...] | None = None

    def _open(self, path: str) -> bool:
        if self._open_prefixes is None:
            # The English (unprefixed) addresses; `bare_path` drops a /nl/… prefix.
            with translation.override(settings.LANGUAGE_CODE):
                self._open_prefixes = (
                    reverse("mfa_index"),
                    reverse("account_reauthenticate"),
                    reverse("account_logout"),
                    reverse("language"),
                    "/static/",
                )
        return bare_path(path).startswith(self._open_prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            needs_second_factor(user)
            and not self._open(request.path)
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "The secretariat's accounts are protected by a second factor. "
                    "Set up an authenticator app on your phone to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
