"""One line per request, as JSON when `LOG_FORMAT=json` (for a log collector).

The request id comes from the proxy's `X-Request-ID` when it sends a sane one (so that
one id follows a request through the proxy's log and ours) or is made here; it goes
back in the response's `X-Request-ID` header.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("cfit.requests")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in person's id, without a query when the view did not load them."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", empty)
    if wrapped is not empty:
        return getattr(wrapped, "pk", None)
    session = getattr(request, "session", None)
    if session is None:
        return None
    raw = session.get(SESSION_KEY)
    return int(raw) if raw is not None and str(raw).isdigit() else None


class RequestLogMiddleware:
    """Times each request and logs it once, with its request id and user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request_id
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration_ms, 2),
                },
            )
        return response


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message and extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
