"""Who calls the API: a personal access token, checked and rate-limited per token."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from cfit.organisations.selectors import is_organisation_member

from . import services
from .models import ApiToken, hash_token
from .problems import Problem


def requests_per_minute() -> int:
    return int(getattr(settings, "API_TOKEN_REQUESTS_PER_MINUTE", 120))


def _check_rate(token: ApiToken) -> None:
    """A fixed window of one minute per token, counted in the shared cache."""
    window = int(time.time() // 60)
    key = f"api:rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=120)
        count = 1
    if count > requests_per_minute():
        retry_after = max(1, 60 - int(time.time()) % 60)
        raise Problem(
            429,
            _(
                "This token made more than %(limit)s requests this minute. "
                "Try again in %(seconds)s seconds."
            )
            % {"limit": requests_per_minute(), "seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class TokenAuth(HttpBearer):
    """A token that is active and whose person still belongs to its organisation."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = (
            ApiToken.objects.active()
            .select_related("user", "organisation")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        if not is_organisation_member(found.user, found.organisation):
            return None
        _check_rate(found)
        services.token_mark_used(token=found)
        # Checked here, before the body is read: a body that is not JSON is a 415.
        if request.method in ("POST", "PUT", "PATCH"):
            require_json(request)
        return found


def token_of(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined]


def writer_token(request: HttpRequest) -> ApiToken:
    """The token, if it may write; 403 for a read-only token."""
    token = token_of(request)
    if not token.can_write:
        raise Problem(
            403,
            _("This token is read-only. Make a read-and-write token to change data."),
        )
    return token


def require_json(request: HttpRequest) -> None:
    """Writes take JSON only: anything else is a 415, not a guess."""
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise Problem(
            415,
            _("Send the body as JSON, with “Content-Type: application/json”."),
        )
