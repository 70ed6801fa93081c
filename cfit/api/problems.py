"""Errors of the API as RFC 9457 problem details, in the reader's words.

Every error under /api/v1/ is `application/problem+json`: a type (a stable address
naming the kind of problem), a title, the status, a detail for this occurrence and,
for bad input, the field errors.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

# status -> (type slug, title): the kinds of problem the API answers with.
KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "The request is not valid"),
    401: ("unauthenticated", "A valid token is needed"),
    403: ("forbidden", "This token may not do that"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "This method is not allowed here"),
    409: ("conflict", "Someone else changed it first"),
    413: ("too-large", "The request is too large"),
    415: ("unsupported-media-type", "Send JSON"),
    422: ("unprocessable", "The data cannot be stored"),
    429: ("too-many-requests", "Too many requests"),
}


class Problem(Exception):
    """Raise it from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    slug, title = KINDS.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": _(title),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as field errors: where (body.quantity) and why."""
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        found.append({"field": ".".join(location), "detail": str(error.get("msg", ""))})
    return found


def install(api: NinjaAPI) -> None:
    """Answer every error of the API with a problem document."""

    @api.exception_handler(Problem)
    def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return problem_response(
            exc.status,
            exc.detail,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra,
        )

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response(
            400,
            _("Some values are missing or not valid: see errors."),
            errors=_field_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(
        request: HttpRequest, exc: AuthenticationError
    ) -> HttpResponse:
        return problem_response(
            401,
            _(
                "Send a valid, unexpired token as “Authorization: Bearer <token>”. "
                "Make one on your profile page."
            ),
            headers={"WWW-Authenticate": 'Bearer realm="cfit"'},
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(
            404, _("There is nothing here, or your token may not see it.")
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(403, str(exc) or _("This token may not do that."))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(
            413,
            _("The request is too large. Send at most %(count)s lines at a time.")
            % {"count": MAX_BULK_LINES},
        )


# A bigger batch is a file: upload it on the report's page.
MAX_BULK_LINES = 5000
