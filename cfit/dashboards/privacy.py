"""The rule that keeps public figures anonymous: a cell must cover three organisations.

Plain Python with no ORM, so that the rule is easy to test and the same everywhere.

A figure is a set of cells (for example devices bought per product group) in groups
(for example years). A cell that covers fewer than `minimum` organisations is not shown.
Hiding it alone is not enough when the group's total is shown: the total minus the
cells shown would give it back. So when a group hides only small cells, the smallest
cell shown is hidden too; the hidden cells are then shown merged as one "other" value,
which covers at least `minimum` organisations because it contains a cell that does.
When every cell of a group is hidden, the merged value is the group's total and is
shown only if the group as a whole covers `minimum` organisations.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MINIMUM_ORGANISATIONS = 3


@dataclass(frozen=True)
class Cell:
    """One aggregate: `group` is the row (a year), `key` the column (a product group)."""

    group: Hashable
    key: Hashable
    organisations: int
    values: Mapping[str, float]


@dataclass(frozen=True)
class ProtectedGroup:
    group: Hashable
    shown: list[Cell]
    hidden_keys: list[Hashable] = field(default_factory=list)
    # The hidden cells added up, when that sum covers enough organisations; else None.
    merged: dict[str, float] | None = None

    @property
    def withheld(self) -> bool:
        """True when some cells are hidden and not even their sum may be shown."""
        return bool(self.hidden_keys) and self.merged is None


def is_publishable(organisations: int, *, minimum: int = MINIMUM_ORGANISATIONS) -> bool:
    return organisations >= minimum


def _add(cells: Iterable[Cell]) -> dict[str, float]:
    total: dict[str, float] = {}
    for cell in cells:
        for name, value in cell.values.items():
            total[name] = total.get(name, 0.0) + float(value)
    return total


def protect_cells(
    cells: Iterable[Cell],
    *,
    minimum: int = MINIMUM_ORGANISATIONS,
    group_organisations: Mapping[Any, int] | None = None,
) -> list[ProtectedGroup]:
    """Apply the three-organisation rule to every group of cells, in first-seen order.

    `group_organisations` gives how many distinct organisations each group covers (a
    group's cells may share organisations, so it is not the sum of the cells').
    """
    groups: dict[Hashable, list[Cell]] = {}
    for cell in cells:
        groups.setdefault(cell.group, []).append(cell)
    protected = []
    for group, members in groups.items():
        small = [c for c in members if c.organisations < minimum]
        shown = [c for c in members if c.organisations >= minimum]
        if small and shown:
            # Hide the smallest cell shown too, so that no total gives a small cell back.
            companion = min(shown, key=lambda c: (_size(c), c.organisations))
            shown = [c for c in shown if c is not companion]
            small.append(companion)
        merged: dict[str, float] | None = None
        if small:
            covers_enough = any(c.organisations >= minimum for c in small) or (
                not shown
                and group_organisations is not None
                and group_organisations.get(group, 0) >= minimum
            )
            merged = _add(small) if covers_enough else None
        protected.append(
            ProtectedGroup(
                group=group,
                shown=shown,
                hidden_keys=[c.key for c in small],
                merged=merged,
            )
        )
    return protected


def _size(cell: Cell) -> float:
    """The cell's first value, to choose the least telling companion to hide."""
    return abs(float(next(iter(cell.values.values()), 0.0)))


@dataclass(frozen=True)
class ProtectedTable:
    """Which cells of one table (with its total) may be shown."""

    shown: list[Hashable]
    hidden: list[Hashable]
    # The hidden cells may be shown added up as one "other" row.
    merged: bool
    # The table's total may be shown: the whole table covers enough organisations.
    total: bool


def protect_table(
    organisations: Mapping[Hashable, int],
    *,
    total_organisations: int,
    sizes: Mapping[Hashable, float] | None = None,
    minimum: int = MINIMUM_ORGANISATIONS,
) -> ProtectedTable:
    """The three-organisation rule for one table whose total is shown.

    `organisations` gives how many distinct organisations each cell covers;
    `sizes` the value used to choose the least telling companion to hide.
    """
    if not is_publishable(total_organisations, minimum=minimum):
        return ProtectedTable(
            shown=[], hidden=list(organisations), merged=False, total=False
        )
    sizes = sizes or {}
    cells = [
        Cell(
            group=None, key=key, organisations=count, values={"size": sizes.get(key, 0)}
        )
        for key, count in organisations.items()
    ]
    protected = protect_cells(
        cells, minimum=minimum, group_organisations={None: total_organisations}
    )
    if not protected:
        return ProtectedTable(shown=[], hidden=[], merged=False, total=True)
    group = protected[0]
    return ProtectedTable(
        shown=[cell.key for cell in group.shown],
        hidden=list(group.hidden_keys),
        merged=group.merged is not None,
        total=True,
    )
