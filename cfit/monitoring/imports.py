"""Writes of an import's life: each step happens once, and a dead import leaves nothing.

pending → checking → checked → storing → done, or failed from any running step.
Every step is a conditional update (`filter(status=…).update(…)`) whose row count says
whether this request or task made the step: a double click, a replayed task or two
workers racing each move an import once. An import whose worker died, or that is stuck
past IMPORT_STUCK_MINUTES, is marked failed, its owner told, and its file removed.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cfit.groups.services import notify

from .models import ImportStatus, PurchaseImport

logger = logging.getLogger(__name__)

RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.STORING)


def import_step(
    *,
    purchase_import: PurchaseImport,
    from_status: str,
    to_status: str,
    **fields: object,
) -> bool:
    """Move the import from one status to the next; False if it was not in `from_status`.

    Only the caller that gets True may do the work of the new status.
    """
    now = timezone.now()
    moved = PurchaseImport.objects.filter(
        pk=purchase_import.pk, status=from_status
    ).update(status=to_status, updated_at=now, **fields)
    if moved:
        purchase_import.status = to_status
        purchase_import.updated_at = now
        for name, value in fields.items():
            setattr(purchase_import, name, value)
    return bool(moved)


def import_confirm(*, purchase_import: PurchaseImport, mode: str) -> bool:
    """The owner confirms a checked file without problems: True for the one click that did."""
    if purchase_import.problem_count or not purchase_import.file:
        return False
    return import_step(
        purchase_import=purchase_import,
        from_status=ImportStatus.CHECKED,
        to_status=ImportStatus.STORING,
        mode=mode,
    )


def import_heartbeat(*, import_id: int, **fields: object) -> None:
    """Progress of a running import; also its sign of life for `imports_fail_stuck`."""
    PurchaseImport.objects.filter(pk=import_id, status__in=RUNNING).update(
        updated_at=timezone.now(), **fields
    )


def import_fail(*, purchase_import: PurchaseImport, reason: str) -> bool:
    """Mark a running import failed, tell its owner and remove its file.

    False (and nothing done) when the import had already finished.
    """
    failed = PurchaseImport.objects.filter(
        pk=purchase_import.pk, status__in=RUNNING
    ).update(
        status=ImportStatus.FAILED,
        problems=[capfirst(reason)],
        problem_count=1,
        updated_at=timezone.now(),
    )
    if not failed:
        return False
    purchase_import.refresh_from_db()
    if purchase_import.file:
        purchase_import.file.delete(save=True)
    owner = purchase_import.created_by
    if owner is not None:
        url = purchase_import.get_absolute_url()
        name = purchase_import.original_name
        notify(
            recipients=[owner],
            kind="import.failed",
            # The sentence in the owner's language (the reason is already written).
            text=lambda: (
                _("Your file %(name)s could not be imported: %(reason)s")
                % {"name": name, "reason": reason}
            ),
            url=url,
            email_template="email/notice",
        )
    return True


def imports_fail_stuck(*, now: datetime | None = None) -> int:
    """Fail every import that is running with no sign of life; how many there were."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.IMPORT_STUCK_MINUTES)
    stuck = PurchaseImport.objects.filter(
        status__in=RUNNING, updated_at__lt=cutoff
    ).select_related("report__organisation", "created_by")
    count = 0
    for purchase_import in stuck:
        reason = _(
            "reading it stopped without finishing (the server was restarted or the file took too long). Nothing was stored; upload it again."
        )
        if import_fail(purchase_import=purchase_import, reason=reason):
            logger.warning(
                "Import %s was stuck and is marked failed", purchase_import.pk
            )
            count += 1
    return count
