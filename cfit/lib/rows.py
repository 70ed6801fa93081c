"""Every state change happens once: lock the row, then read the state again.

A service that moves a row from one state to another first calls `lock_and_reload`
inside its transaction. A second request racing it (a double click, a replayed form)
waits for the lock, then sees the state the first one left and is refused by the
service's own check ("already approved"), so the change and its notices happen once.

    @transaction.atomic
    def signature_approve(*, signature, by):
        lock_and_reload(signature, "status")
        signature.approve(by=by)  # raises unless pending
"""

from django.db import models, transaction


def lock_and_reload(instance: models.Model, *fields: str) -> None:
    """Lock the instance's row until the transaction ends and reload `fields` into it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_and_reload needs a transaction (transaction.atomic).")
    manager = type(instance)._default_manager
    list(manager.select_for_update().filter(pk=instance.pk).values_list("pk"))
    instance.refresh_from_db(fields=list(fields) or None)
