"""The figures of the Pact and of a buyer group as the sum of their organisations' parts,
kept up to date by difference.

Adding up the report summaries of a million lines for the Pact takes most of a second;
after one organisation's report changes, only that organisation's part has moved. So
each such scope's sums are kept in the cache (`ScopeSums`) together with, per member
organisation, a token of its reports and the id of the part the sums include; and
each organisation's part is kept too, in a few buckets so that the cache holds few
entries.

A request reads every member's token (one grouped query over the reports, not the
lines). For the organisations whose token moved (or that joined or left the scope) it
subtracts the part kept and adds the part read afresh (one query over their summaries
only). Whatever is missing or does not match (an evicted bucket, two requests racing
to update the same one) adds everything up again, in one query: the sums are always
those of the parts whose ids they record, so they stay exactly equal to a recount.

A part holds sums per (year, product group, condition, country of use): exactly the
groups the impact method is given, so every grouping the dashboard shows and its
effects come from the scope's sums. The organisations covering a cell of a grouping
are counted as the organisations whose part has that cell's key. Which reports count
stays ReportSummary.objects.counted(); the three-organisation rule stays in privacy.
"""

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add, itemgetter, sub
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Max, QuerySet, Sum
from django.db.models.functions import Cast, Round

from cfit.criteria.models import ProductGroup
from cfit.impact import selectors as impact
from cfit.monitoring.models import Condition, PurchaseReport, ReportSummary

from .caching import TIMEOUT_SECONDS, global_generation

# A part's key: (year, product group pk, condition, country of use), and its sums:
# devices, with every base criterion, with an ecolabel, device-years in cents (whole
# numbers add up exactly), devices without a stated lifetime, devices retired to reuse.
type Key = tuple[int, int, str, str]
type Part = dict[Key, list[int]]
DEVICES, BASE, ECOLABEL, CENTS, UNKNOWN, REUSED = range(6)

# The dashboard's keys, as positions in a part's key.
DIMENSIONS = {
    "report__year": 0,
    "product_group__code": 1,
    "condition": 2,
    "country_of_use": 3,
}
# The groupings whose organisations are counted. The last is a part's own key: a key
# that no organisation has any more leaves the sums.
COUNTED: tuple[tuple[int, ...], ...] = ((), (0,), (0, 1), (0, 2), (3,), (0, 1, 2, 3))
_ALL = len(COUNTED) - 1
# A grouping of one key counts bare values, of several tuples (itemgetter's answers).
_GETTERS = [None, itemgetter(0), itemgetter(0, 1), itemgetter(0, 2), itemgetter(3)]
# The Pact's parts are kept in this many cache entries, a buyer group's in fewer: a
# change rewrites one, and each scope holds a handful of the cache's entries.
BUCKETS = 64
GROUP_BUCKETS = 8
# Beyond this many organisations changed at once, adding up everything is as quick.
MOST_CHANGED = 500


def _projected(number: int, part: Part) -> Iterable[Any]:
    """The keys of grouping `number` that this part has (each once)."""
    if number == 0:
        return [()] if part else []
    if number == _ALL:
        return part.keys()
    return set(map(_GETTERS[number], part))  # type: ignore[arg-type]


@dataclass
class ScopeSums:
    sums: dict[Key, list[int]] = field(default_factory=dict)
    # Per grouping of COUNTED: projected key -> organisations having it.
    counts: list[dict[Any, int]] = field(default_factory=lambda: [{} for _ in COUNTED])
    tokens: dict[int, tuple] = field(default_factory=dict)
    # The id of the part each organisation's sums include (none: it has no part).
    part_ids: dict[int, bytes] = field(default_factory=dict)
    buckets: int = BUCKETS

    def copy(self) -> "ScopeSums":
        # The lists of sums are replaced, never changed in place: shallow copies do.
        return ScopeSums(
            sums=dict(self.sums),
            counts=[dict(counted) for counted in self.counts],
            tokens=dict(self.tokens),
            part_ids=dict(self.part_ids),
            buckets=self.buckets,
        )

    def add(self, part: Part) -> None:
        sums = self.sums
        for key, values in part.items():
            total = sums.get(key)
            sums[key] = (
                values.copy() if total is None else list(map(add, total, values))
            )
        for number, counted in enumerate(self.counts):
            for projected in _projected(number, part):
                counted[projected] = counted.get(projected, 0) + 1

    def subtract(self, part: Part) -> None:
        sums = self.sums
        for key, values in part.items():
            sums[key] = list(map(sub, sums[key], values))
        for number, counted in enumerate(self.counts):
            for projected in _projected(number, part):
                left = counted[projected] - 1
                if left:
                    counted[projected] = left
                else:
                    del counted[projected]
                    if number == _ALL:  # no organisation has this key any more
                        del sums[projected]


def _bucket_key(state_key: str, organisation_id: int, buckets: int) -> str:
    return f"{state_key}:parts:{organisation_id % buckets}"


def _reports(members: QuerySet | None) -> QuerySet[PurchaseReport]:
    reports = PurchaseReport.objects.order_by()
    if members is not None:
        reports = reports.filter(organisation_id__in=members)
    return reports


def _tokens(members: QuerySet | None) -> dict[int, tuple]:
    """Per organisation, what moves with any change to its reports (see caching)."""
    rows = (
        _reports(members)
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            versions=Sum("version"),
            last=Max("id"),
            submitted=Max("submitted_at"),
            accepted=Max("accepted_at"),
        )
        .values_list(
            "organisation_id", "n", "versions", "last", "submitted", "accepted"
        )
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # Bare rows: the values are only compared, never shown.
        cursor.execute(sql, params)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def _parts(organisations: Iterable[int] | QuerySet | None = None) -> dict[int, Part]:
    """The parts of these organisations (None: all), from their counted summaries."""
    summaries = ReportSummary.objects.counted()
    if isinstance(organisations, QuerySet):
        summaries = summaries.filter(report__organisation_id__in=organisations)
    elif organisations is not None:
        summaries = summaries.filter(report__organisation_id__in=list(organisations))
    # Device-years in whole cents, made by the database: every value is a whole number.
    rows = (
        summaries.order_by()
        .annotate(cents=Cast(Round(F("device_years") * 100), BigIntegerField()))
        .values_list(
            "report__organisation_id",
            "report__year",
            "product_group_id",
            "condition",
            "country_of_use",
            "devices",
            "devices_with_base_criteria",
            "devices_with_ecolabel",
            "cents",
            "devices_lifetime_unknown",
            "devices_reused",
        )
    )
    sql, params = rows.query.sql_with_params()
    parts: dict[int, Part] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for organisation_id, year, group, condition, country, *values in cursor:
            part = parts.get(organisation_id)
            if part is None:
                part = parts[organisation_id] = {}
            key = (year, group, condition, country)
            found = part.get(key)
            # Two reports of one year are not expected, but would add up all the same.
            part[key] = values if found is None else list(map(add, found, values))
    return parts


def _new_id() -> bytes:
    return os.urandom(8)


def _build(
    state_key: str, tokens: dict[int, tuple], members: QuerySet | None
) -> ScopeSums:
    """Everything added up again: one query over every counted summary."""
    state = ScopeSums(
        tokens=tokens, buckets=BUCKETS if members is None else GROUP_BUCKETS
    )
    sums = state.sums
    counts: list[Counter] = [Counter() for _ in COUNTED]
    buckets: dict[str, dict[int, tuple[bytes, Part]]] = {}
    for organisation_id, part in _parts(members).items():
        part_id = _new_id()
        state.part_ids[organisation_id] = part_id
        buckets.setdefault(_bucket_key(state_key, organisation_id, state.buckets), {})[
            organisation_id
        ] = (part_id, part)
        # As ScopeSums.add, with the counting done by Counter (in C): a million lines.
        for key, values in part.items():
            total = sums.get(key)
            sums[key] = (
                values.copy() if total is None else list(map(add, total, values))
            )
        for number, counted in enumerate(counts):
            counted.update(_projected(number, part))
    state.counts = [dict(counted) for counted in counts]
    cache.set_many(buckets, TIMEOUT_SECONDS)
    cache.set(state_key, state, TIMEOUT_SECONDS)
    return state


def _updated(
    state_key: str, state: ScopeSums, tokens: dict[int, tuple]
) -> ScopeSums | None:
    """`state` with the organisations whose token moved read again; None when the
    parts it includes are no longer all known."""
    changed = [
        organisation_id
        for organisation_id in tokens.keys() | state.tokens.keys()
        if tokens.get(organisation_id) != state.tokens.get(organisation_id)
    ]
    if len(changed) > MOST_CHANGED:
        return None
    # Every changed organisation's bucket, so that writing it back keeps the others'.
    bucket_of = {o: _bucket_key(state_key, o, state.buckets) for o in changed}
    buckets = cache.get_many(set(bucket_of.values()))
    old: dict[int, Part] = {}
    for organisation_id in (o for o in changed if o in state.part_ids):
        kept = buckets.get(bucket_of[organisation_id], {}).get(organisation_id)
        if kept is None or kept[0] != state.part_ids[organisation_id]:
            return None
        old[organisation_id] = kept[1]
    present = [o for o in changed if o in tokens]
    fresh = _parts(present) if present else {}
    state = state.copy()
    state.tokens = tokens
    for organisation_id in changed:
        if organisation_id in old:
            state.subtract(old[organisation_id])
            del state.part_ids[organisation_id]
            del buckets[bucket_of[organisation_id]][organisation_id]
        part = fresh.get(organisation_id)
        if part:
            part_id = _new_id()
            state.add(part)
            state.part_ids[organisation_id] = part_id
            buckets.setdefault(bucket_of[organisation_id], {})[organisation_id] = (
                part_id,
                part,
            )
    # The parts first: a state is only ever written after the parts it includes.
    cache.set_many(buckets, TIMEOUT_SECONDS)
    cache.set(state_key, state, TIMEOUT_SECONDS)
    return state


def _identity(key: str, members: QuerySet | None) -> tuple:
    """What the scope's fingerprint reads of the reports (see caching): when it has
    not moved, neither has any organisation's token. One row, no grouping."""
    row = _reports(members).aggregate(
        n=Count("id"),
        versions=Sum("version"),
        last=Max("id"),
        submitted=Max("submitted_at"),
        accepted=Max("accepted_at"),
    )
    return (f"dashboards:sums:{global_generation()}:{key}", *row.values())


# The sums this process used last per scope, and the identity they were read at: a
# dashboard asks for them several times per request, and most requests follow no change.
_last: dict[str, tuple[tuple, ScopeSums]] = {}
_MOST_KEPT = 200


def forget() -> None:
    """Drop this process's copies (tests roll the database back under them)."""
    _last.clear()


def scope_sums(key: str = "pact", members: QuerySet | None = None) -> ScopeSums:
    """The sums of a scope, as of now: the Pact's (no `members`) or those of a buyer
    group's `members` (a queryset of organisation pks); `key` is the scope's."""
    identity = _identity(key, members)
    last = _last.get(key)
    if last is not None and last[0] == identity:
        return last[1]
    state_key = identity[0]
    tokens = _tokens(members)
    state = cache.get(state_key)
    if state is not None and state.tokens != tokens:
        state = _updated(state_key, state, tokens)
    if state is None:
        state = _build(state_key, tokens, members)
    if len(_last) >= _MOST_KEPT:
        _last.clear()
    _last[key] = (identity, state)
    return state


def covers(groupings: Sequence[Sequence[str]]) -> bool:
    """Whether the kept sums count the organisations of every one of these groupings."""
    return all(
        all(k in DIMENSIONS for k in keys)
        and tuple(DIMENSIONS[k] for k in keys) in COUNTED
        for keys in groupings
    )


def grouped(
    groupings: Sequence[Sequence[str]],
    key: str = "pact",
    members: QuerySet | None = None,
) -> list[list[dict]]:
    """What `selectors._grouped` gives for a scope with no filter, from its sums."""
    state = scope_sums(key, members)
    codes: dict[Any, str] = dict(ProductGroup.objects.values_list("pk", "code"))
    new = Condition.NEW.value
    results = []
    for keys in groupings:
        dimensions = tuple(DIMENSIONS[k] for k in keys)
        counted = state.counts[COUNTED.index(dimensions)]
        # The grand total is one row even with nothing counted, as in SQL.
        cells: dict[tuple, list[int]] = {(): [0] * 7} if not dimensions else {}
        for part_key, values in state.sums.items():
            projected = tuple(part_key[d] for d in dimensions)
            cell = cells.get(projected)
            if cell is None:
                cell = cells[projected] = [0] * 7
            for i, value in enumerate(values):
                cell[i] += value
            if part_key[2] != new:
                cell[6] += values[DEVICES]
        rows = []
        for projected, cell in cells.items():
            row: dict[str, Any] = {
                name: codes[value] if name == "product_group__code" else value
                for name, value in zip(keys, projected, strict=True)
            }
            row |= {
                "devices": cell[DEVICES],
                "not_new": cell[6],
                "base": cell[BASE],
                "ecolabel": cell[ECOLABEL],
                "lifetime_device_years": Decimal(cell[CENTS]).scaleb(-2),
                "lifetime_devices": cell[DEVICES] - cell[UNKNOWN],
                "organisations": counted.get(
                    projected[0] if len(projected) == 1 else projected, 0
                ),
            }
            rows.append(row)
        rows.sort(key=lambda row: tuple(str(row[k]) for k in keys))
        results.append(rows)
    return results


def impact_rows(key: str = "pact", members: QuerySet | None = None) -> list[dict]:
    """A scope's sums as the impact method takes them (impact.selectors.KEYS), by year."""
    state = scope_sums(key, members)
    return [
        {"report__year": part_key[0], **_impact_row(part_key, values)}
        for part_key, values in sorted(state.sums.items())
    ]


def _impact_row(part_key: tuple, values: Any) -> dict[str, Any]:
    """One kept sum as a row of impact.selectors' sums (without its grouping column)."""
    return {
        "product_group_id": part_key[1],
        "condition": part_key[2],
        "country_of_use": part_key[3],
        "sum_devices": values[DEVICES],
        "sum_device_years": values[CENTS] / 100,
        "sum_lifetime_unknown": values[UNKNOWN],
        "sum_reused": values[REUSED],
    }


def countries() -> list[str]:
    """The countries of use of counted purchases."""
    return sorted({key[3] for key in scope_sums().sums})


def savings_per_member(
    key: str, members: QuerySet, indicator: str = "gwp_kg"
) -> dict[int, float]:
    """Each member's saving (kilograms of `indicator`) with the current FactorSet,
    computed again only for the members whose part changed since it was last kept."""
    state = scope_sums(key, members)
    factorset = impact.current_factorset()
    version = factorset.pk if factorset is not None else None
    memo_key = f"dashboards:savings:{key}:{indicator}"
    kept: dict[int, tuple[bytes, Any, float]] = cache.get(memo_key) or {}
    known = {
        organisation_id: entry
        for organisation_id, entry in kept.items()
        if entry[:2] == (state.part_ids.get(organisation_id), version)
    }
    missing = [o for o in state.part_ids if o not in known]
    if missing:
        rows = [
            {
                "report__organisation_id": organisation_id,
                **_impact_row(part_key, values),
            }
            for organisation_id, part in _parts(missing).items()
            for part_key, values in part.items()
        ]
        result = impact.impact_of_sums(rows, keys=["organisation"])
        saved = {
            group.key["organisation"]: getattr(group.impact.saving, indicator)
            for group in result.groups
        }
        for organisation_id in missing:
            known[organisation_id] = (
                state.part_ids[organisation_id],
                version,
                saved.get(organisation_id, 0.0),
            )
        cache.set(memo_key, known, TIMEOUT_SECONDS)
    return {organisation_id: entry[2] for organisation_id, entry in known.items()}
