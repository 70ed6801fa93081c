"""The health endpoint: for load balancers (status code) and staff (details)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cfit.organisations.selectors import is_secretariat

from .health import run_checks


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the task queue answer; 503 otherwise.

    Anonymous callers learn only the verdict: the details (which part failed, how,
    the backends in use) would tell an attacker about the installation.
    """
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body: dict[str, object] = {"status": "ok" if healthy else "unavailable"}
    if request.user.is_authenticated and (
        request.user.is_staff or is_secretariat(request.user)
    ):
        body["checks"] = {
            check.name: {
                "ok": check.ok,
                "detail": check.detail,
                "ms": round(check.milliseconds, 1),
            }
            for check in checks
        }
    return JsonResponse(body, status=200 if healthy else 503)
