"""The figures of the dashboards, from SQL aggregation only (GROUP BY, never a loop over
lines), for one scope: the Pact, a buyer group or an organisation.

Each function runs one grouped query and returns small dataclasses. The effects
(carbon and raw materials) come from the impact app's selector: there is one
calculation and the dashboards only ask it for grouped totals.
"""

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from cfit.criteria.models import ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import member_organisations_of
from cfit.monitoring.models import (
    Condition,
    DemandForecast,
    PurchaseLine,
    PurchaseReport,
    ReportSummary,
)
from cfit.organisations.models import Organisation

from . import partials
from .forms import Filters


@dataclass(frozen=True)
class Scope:
    """Whose lines: everyone's (the Pact), a buyer group's members', or one organisation's."""

    kind: str  # "pact", "group", "organisation"
    organisation: Organisation | None = None
    group: BuyerGroup | None = None

    @property
    def key(self) -> str:
        if self.organisation is not None:
            return f"organisation:{self.organisation.pk}"
        if self.group is not None:
            return f"group:{self.group.pk}"
        return "pact"


PACT = Scope(kind="pact")


def kept_sums_of(scope: Scope, filters: Filters) -> tuple[str, QuerySet | None] | None:
    """The Pact or a buyer group with no filter: the scope's key and members (None:
    everyone), whose sums `partials` keeps up to date; None: added up in SQL."""
    if scope.organisation is not None or not filters.is_empty:
        return None
    if scope.group is not None:
        return scope.key, member_organisations_of(scope.group).order_by().values("pk")
    return scope.key, None


def counted_lines(scope: Scope, filters: Filters) -> QuerySet[PurchaseLine]:
    """The purchase lines a scope's figures add up, narrowed by the filters."""
    return _narrowed(PurchaseLine.objects.counted(), scope, filters)


def counted_summaries(scope: Scope, filters: Filters) -> QuerySet[ReportSummary]:
    """The report summaries of `counted_lines`: what the figures actually add up.

    One row per report, product group, condition and country of use, with the sums of
    its lines (kept by monitoring with every write), so the same filters apply.
    """
    return _narrowed(ReportSummary.objects.counted(), scope, filters)


def _narrowed(lines: QuerySet, scope: Scope, filters: Filters) -> QuerySet:
    if scope.organisation is not None:
        lines = lines.filter(report__organisation=scope.organisation)
    elif scope.group is not None:
        lines = lines.filter(
            report__organisation__in=member_organisations_of(scope.group).values("pk")
        )
    if filters.buyer_group:
        lines = lines.filter(
            report__organisation__in=_members_of_group_slug(filters.buyer_group)
        )
    if filters.year_from:
        lines = lines.filter(report__year__gte=filters.year_from)
    if filters.year_to:
        lines = lines.filter(report__year__lte=filters.year_to)
    if filters.product_group:
        lines = lines.filter(product_group__code=filters.product_group)
    if filters.country:
        lines = lines.filter(country_of_use=filters.country)
    return lines


def _members_of_group_slug(slug: str) -> QuerySet[Organisation]:
    group = BuyerGroup.objects.filter(slug=slug).first()
    if group is None:
        return Organisation.objects.none()
    return member_organisations_of(group).values("pk")  # type: ignore[return-value]


_LIFETIME_DEVICE_YEARS = ExpressionWrapper(
    F("quantity") * F("expected_lifetime_years"),
    output_field=DecimalField(max_digits=20, decimal_places=2),
)


_SUMS = (
    "devices",
    "not_new",
    "base",
    "ecolabel",
    "lifetime_device_years",
    "lifetime_devices",
)


def _sums(model: type) -> dict:
    """What every cell adds up: devices, and the parts of the shares and averages."""
    if issubclass(model, ReportSummary):
        return {
            "devices": Sum("devices"),
            "not_new": Sum("devices", filter=~Q(condition=Condition.NEW)),
            "base": Sum("devices_with_base_criteria"),
            "ecolabel": Sum("devices_with_ecolabel"),
            "lifetime_device_years": Sum("device_years"),
            "lifetime_devices": Sum(F("devices") - F("devices_lifetime_unknown")),
        }
    return {
        "devices": Sum("quantity"),
        "not_new": Sum("quantity", filter=~Q(condition=Condition.NEW)),
        "base": Sum("quantity", filter=Q(applies_base_criteria=True)),
        "ecolabel": Sum("quantity", filter=Q(has_ecolabel=True)),
        "lifetime_device_years": Sum(_LIFETIME_DEVICE_YEARS),
        "lifetime_devices": Sum(
            "quantity", filter=Q(expected_lifetime_years__isnull=False)
        ),
    }


def _per_row(model: type) -> dict:
    """What each report summary row gives to the sums: it is already one report's
    sums per product group, condition and country, so no GROUP BY is needed."""
    if not issubclass(model, ReportSummary):
        return _sums(model)
    return {
        "devices": F("devices"),
        "not_new": Case(
            When(Q(condition=Condition.NEW), then=Value(0)),
            default=F("devices"),
            output_field=BigIntegerField(),
        ),
        "base": F("devices_with_base_criteria"),
        "ecolabel": F("devices_with_ecolabel"),
        "lifetime_device_years": F("device_years"),
        "lifetime_devices": F("devices") - F("devices_lifetime_unknown"),
    }


def _grouped(lines: QuerySet, groupings: Sequence[Sequence[str]]) -> list[list[dict]]:
    """Sum the report summaries (or lines) by each grouping of keys, counting distinct
    organisations per cell.

    One statement, one pass over the summaries: their rows (with the organisation and
    every key any grouping needs) are read once into a common table expression; each
    grouping adds them up per organisation first, then per cell, where counting the
    organisations is a plain COUNT (a COUNT(DISTINCT ...) would sort every row):

        WITH per_report AS (SELECT organisation, keys..., sums...)
        SELECT 0, keys of grouping 0, SUM(...), COUNT(*)
          FROM (SELECT keys, organisation, SUM(...) ... GROUP BY keys, organisation)
        UNION ALL SELECT 1, ...
    """
    all_keys = list(dict.fromkeys(k for keys in groupings for k in keys))
    # Prefixed: a summary has fields of the same names as the sums.
    values = {f"sum_{name}": value for name, value in _per_row(lines.model).items()}
    per_report = lines.order_by().values("report__organisation_id", *all_keys)
    if issubclass(lines.model, ReportSummary):
        per_report = per_report.annotate(**values)
    else:
        per_report = per_report.values(
            "report_id", "report__organisation_id", *all_keys
        ).annotate(**values)
    inner, params = per_report.query.sql_with_params()
    quote = connection.ops.quote_name
    organisation = quote("report__organisation_id")
    partial_sums = ", ".join(
        f"SUM({quote('sum_' + name)}) AS {quote('sum_' + name)}" for name in _SUMS
    )
    sums = ", ".join(f"SUM({quote('sum_' + name)})" for name in _SUMS)
    branches = []
    for number, keys in enumerate(groupings):
        quoted = [quote(k) for k in keys]
        columns = [
            quote(k)
            if k in keys
            else f"CAST(NULL AS {_KEY_TYPES.get(k, 'varchar(100)')})"
            for k in all_keys
        ]
        per_organisation = (
            f"SELECT {', '.join([*quoted, organisation])}, {partial_sums} "
            f"FROM per_report GROUP BY {', '.join([*quoted, organisation])}"
        )
        branch = (
            f"SELECT {', '.join([str(number), *columns, sums])}, COUNT(*) "
            f"FROM ({per_organisation}) AS cells_{number}"
        )
        if keys:
            branch += f" GROUP BY {', '.join(quoted)}"
        branches.append(branch)
    sql = f"WITH per_report AS ({inner}) " + " UNION ALL ".join(branches)
    results: list[list[dict]] = [[] for _ in groupings]
    names = [*all_keys, *_SUMS, "organisations"]
    postgresql = connection.vendor == "postgresql"
    # Not on SQLite: there a transaction would take the write lock (IMMEDIATE mode).
    in_transaction = transaction.atomic() if postgresql else nullcontext()
    with in_transaction, connection.cursor() as cursor:
        if postgresql:
            # Each grouping hashes the rows in memory rather than sorting them on disk
            # (the default 4 MB spills at a million lines), and compiling the query
            # (JIT) costs more than it saves on a few hundred thousand rows.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            results[row[0]].append(dict(zip(names, row[1:], strict=True)))
    for keys, rows in zip(groupings, results, strict=True):
        rows.sort(key=lambda row: tuple(str(row[k]) for k in keys))
    return results


_KEY_TYPES = {"report__year": "integer", "report__organisation": "bigint"}


@dataclass(frozen=True)
class Totals:
    """Sums over a set of lines; the shares and the average are derived from them."""

    devices: int
    organisations: int
    not_new: int
    base: int
    ecolabel: int
    lifetime_device_years: Decimal
    lifetime_devices: int

    @classmethod
    def from_row(cls, row: dict) -> "Totals":
        # Sums of sums come back as decimals on PostgreSQL: counts are whole numbers.
        return cls(
            devices=int(row["devices"] or 0),
            organisations=int(row["organisations"] or 0),
            not_new=int(row["not_new"] or 0),
            base=int(row["base"] or 0),
            ecolabel=int(row["ecolabel"] or 0),
            lifetime_device_years=Decimal(str(row["lifetime_device_years"] or 0)),
            lifetime_devices=int(row["lifetime_devices"] or 0),
        )

    def _share(self, part: int) -> float | None:
        return round(100 * part / self.devices, 1) if self.devices else None

    @property
    def share_not_new(self) -> float | None:
        return self._share(self.not_new)

    @property
    def share_base(self) -> float | None:
        return self._share(self.base)

    @property
    def share_ecolabel(self) -> float | None:
        return self._share(self.ecolabel)

    @property
    def average_lifetime(self) -> float | None:
        """Devices-weighted expected lifetime, over the lines that state one."""
        if not self.lifetime_devices:
            return None
        return round(float(self.lifetime_device_years) / self.lifetime_devices, 2)

    def as_values(self) -> dict[str, float]:
        return {
            "devices": self.devices,
            "not_new": self.not_new,
            "base": self.base,
            "ecolabel": self.ecolabel,
            "share_not_new": self.share_not_new or 0.0,
            "share_base": self.share_base or 0.0,
            "share_ecolabel": self.share_ecolabel or 0.0,
            "average_lifetime": self.average_lifetime or 0.0,
            "lifetime_devices": self.lifetime_devices,
        }


def totals(scope: Scope, filters: Filters) -> Totals:
    [[(_all, total)]] = totals_by_many(scope, filters, [()])
    return total


def totals_by(scope: Scope, filters: Filters, *keys: str) -> list[tuple[tuple, Totals]]:
    """Sums per cell of the keys (e.g. report__year, product_group__code), in SQL."""
    [cells] = totals_by_many(scope, filters, [keys])
    return cells


def totals_by_many(
    scope: Scope, filters: Filters, groupings: Sequence[Sequence[str]]
) -> list[list[tuple[tuple, Totals]]]:
    """Several groupings of the same lines in one pass; () is the grand total."""
    kept = kept_sums_of(scope, filters)
    if kept is not None and partials.covers(groupings):
        # Kept up to date by difference: one organisation's change reads its part only.
        results = partials.grouped(groupings, *kept)
    else:
        results = _grouped(counted_summaries(scope, filters), groupings)
    return [
        [(tuple(row[k] for k in keys), Totals.from_row(row)) for row in rows]
        for keys, rows in zip(groupings, results, strict=True)
    ]


@dataclass(frozen=True)
class ForecastCell:
    year: int
    product_group: str
    level: str
    quantity: int
    organisations: int


def forecast_cells(scope: Scope, filters: Filters) -> list[ForecastCell]:
    """Planned quantities by year, product group and intended criteria level."""
    forecasts = DemandForecast.objects.all()
    if scope.organisation is not None:
        forecasts = forecasts.filter(organisation=scope.organisation)
    elif scope.group is not None:
        forecasts = forecasts.filter(
            organisation__in=member_organisations_of(scope.group).values("pk")
        )
    if filters.buyer_group:
        forecasts = forecasts.filter(
            organisation__in=_members_of_group_slug(filters.buyer_group)
        )
    if filters.product_group:
        forecasts = forecasts.filter(product_group__code=filters.product_group)
    if filters.country:
        # A forecast has no country of use yet: the organisation's country stands in.
        forecasts = forecasts.filter(organisation__country=filters.country)
    rows = (
        forecasts.values("year", "product_group__code", "level")
        .annotate(
            quantity=Sum("quantity"),
            organisations=Count("organisation", distinct=True),
        )
        .order_by("year", "product_group__code", "level")
    )
    return [
        ForecastCell(
            year=row["year"],
            product_group=row["product_group__code"],
            level=row["level"],
            quantity=row["quantity"] or 0,
            organisations=row["organisations"],
        )
        for row in rows
    ]


def forecast_organisations_by_year(scope: Scope, filters: Filters) -> dict[int, int]:
    forecasts = DemandForecast.objects.all()
    if scope.organisation is not None:
        forecasts = forecasts.filter(organisation=scope.organisation)
    elif scope.group is not None:
        forecasts = forecasts.filter(
            organisation__in=member_organisations_of(scope.group).values("pk")
        )
    if filters.product_group:
        forecasts = forecasts.filter(product_group__code=filters.product_group)
    if filters.country:
        forecasts = forecasts.filter(organisation__country=filters.country)
    if filters.buyer_group:
        forecasts = forecasts.filter(
            organisation__in=_members_of_group_slug(filters.buyer_group)
        )
    return dict(
        forecasts.values("year")
        .annotate(n=Count("organisation", distinct=True))
        .values_list("year", "n")
    )


def product_group_names() -> list[tuple[str, str]]:
    return [(p.code, str(p.name)) for p in ProductGroup.objects.all()]


@dataclass(frozen=True)
class MemberStatus:
    organisation: Organisation
    statuses: dict[int, str]  # year -> status code or "due"


def report_status_per_member(group: BuyerGroup, years: list[int]) -> list[MemberStatus]:
    """For each member organisation and year: due (no report yet), draft, submitted..."""
    members = list(member_organisations_of(group).order_by("name"))
    found: dict[tuple[int, int], str] = {
        (organisation_id, year): status
        for organisation_id, year, status in PurchaseReport.objects.filter(
            organisation__in=members, year__in=years
        ).values_list("organisation_id", "year", "status")
    }
    return [
        MemberStatus(
            organisation=member,
            statuses={year: found.get((member.pk, year), "due") for year in years},
        )
        for member in members
    ]


def report_years() -> list[int]:
    """Years with at least one counted report, newest first."""
    return list(
        PurchaseReport.objects.counted()
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def countries_of_use() -> list[str]:
    """Countries where counted purchases are used, for the country filter."""
    return partials.countries()
