"""The admin of rows that cached pages read: a save or delete there makes those caches
stale, as the services do after the same write (one write path, from every door).

Each app names what goes stale (`stale_after_write`); the admin's four ways of writing
(save, the inlines' save, delete, delete of a selection) all call it.
"""

from collections.abc import Callable
from typing import Any


class StaleAfterAdminWrite:
    # Called after each write, in order; a tuple, so the functions stay plain functions.
    stale_after_write: tuple[Callable[[], None], ...] = ()

    def _written(self) -> None:
        for make_stale in self.stale_after_write:
            make_stale()

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        self._written()

    def save_related(
        self, request: Any, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        self._written()

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        self._written()

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        self._written()
