"""A figure: a chart and the table of the same numbers, described once for every output.

The page draws it with Chart.js from `chart_data` (sent with json_script) and shows the
table beside it; CSV, XLSX and the PDF report read the same object, so that what is
downloaded is what is shown.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .privacy import ProtectedGroup


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: not shown (fewer than three organisations)


@dataclass(frozen=True)
class Figure:
    slug: str  # unique on the page: the chart's and the table's ids
    title: str  # what is shown, with the unit
    unit: str
    label_heading: str  # heading of the table's first column
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # bar, stacked, line
    decimals: int = 0
    notes: list[str] = field(default_factory=list)
    factorset: str = ""  # the FactorSet version of the page's effects
    computed: bool = False  # True when the numbers themselves come from the FactorSet
    source: str = ""  # where the numbers come from, in words
    row_links: list[str] = field(default_factory=list)  # the lines behind each row

    @property
    def is_empty(self) -> bool:
        return not self.labels or not self.series

    @property
    def rows(self) -> list[tuple[str, list[float | None], str]]:
        """(label, values across series, link to the lines behind) for the table."""
        links = self.row_links or [""] * len(self.labels)
        return [
            (label, [s.values[i] for s in self.series], links[i])
            for i, label in enumerate(self.labels)
        ]

    def chart_data(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "decimals": self.decimals,
            "labels": self.labels,
            "series": [{"name": s.name, "values": s.values} for s in self.series],
        }


def figure_from_groups(
    *,
    slug: str,
    title: str,
    unit: str,
    label_heading: str,
    groups: Sequence[ProtectedGroup],
    keys: Iterable[tuple[Hashable, str]],
    value: str | Callable[[Mapping[str, float]], float | None],
    group_label=str,
    kind: str = "stacked",
    decimals: int = 0,
    factorset: str = "",
    row_link=None,
) -> Figure:
    """Rows are the groups (years), columns the keys (product groups), from protected cells.

    Hidden cells show as empty; their sum, where it may be shown, is an "other" column.
    """
    keys = list(keys)
    read = value if callable(value) else _reader(value)
    series = []
    present = {c.key for g in groups for c in g.shown} | {
        k for g in groups for k in g.hidden_keys
    }
    for key, name in keys:
        if key not in present:
            continue
        values: list[float | None] = []
        for g in groups:
            cell = next((c for c in g.shown if c.key == key), None)
            values.append(read(cell.values) if cell else None)
        if any(v is not None for v in values):
            series.append(Series(name=name, values=values))
    notes = []
    if any(g.hidden_keys for g in groups):
        series.append(
            Series(
                name=_("Other (merged)"),
                values=[
                    read(g.merged) if g.merged is not None else None for g in groups
                ],
            )
        )
        notes.append(
            _(
                "Figures that cover fewer than three organisations are not shown on "
                "their own: they are added up under “Other (merged)”, or left out "
                "where even that sum would cover fewer than three organisations."
            )
        )
    return Figure(
        slug=slug,
        title=title,
        unit=unit,
        label_heading=label_heading,
        labels=[group_label(g.group) for g in groups],
        series=series,
        kind=kind,
        decimals=decimals,
        notes=notes,
        factorset=factorset,
        row_links=[row_link(g.group) for g in groups] if row_link else [],
    )


def _reader(name: str) -> Callable[[Mapping[str, float]], float | None]:
    def read(values: Mapping[str, float]) -> float | None:
        return float(values[name])

    return read
