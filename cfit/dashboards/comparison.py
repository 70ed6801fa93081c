"""Tables beside the charts: an organisation against averages, a group per member, and
the secretariat's views per country and per product group. SQL aggregation only."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import groups_of
from cfit.impact import method
from cfit.lib.countries import country_name
from cfit.organisations.models import Organisation

from . import effects, partials, selectors
from .caching import cached, fingerprint_of
from .forms import Filters
from .privacy import is_publishable
from .selectors import PACT, Scope, Totals


@dataclass(frozen=True)
class Measures:
    """One scope's measures, comparable between scopes of different sizes."""

    organisations: int
    devices: int
    devices_per_organisation: float | None
    share_not_new: float | None
    share_base: float | None
    share_ecolabel: float | None
    average_lifetime: float | None
    gwp_saved_t: float
    gwp_saved_kg_per_device: float | None


def _measures(totals: Totals, gwp_saved_kg: float) -> Measures:
    return Measures(
        organisations=totals.organisations,
        devices=totals.devices,
        devices_per_organisation=round(totals.devices / totals.organisations, 1)
        if totals.organisations
        else None,
        share_not_new=totals.share_not_new,
        share_base=totals.share_base,
        share_ecolabel=totals.share_ecolabel,
        average_lifetime=totals.average_lifetime,
        gwp_saved_t=effects.in_unit(gwp_saved_kg, method.GWP),
        gwp_saved_kg_per_device=round(gwp_saved_kg / totals.devices, 1)
        if totals.devices
        else None,
    )


def _saved_kg(scope: Scope, filters: Filters, indicator: str = "gwp_kg") -> float:
    yearly = effects.by_year(scope, filters)
    return sum(yearly.values[y]["saving"].get(indicator, 0.0) for y in yearly.years)


def measures_of(scope: Scope, filters: Filters) -> Measures:
    """A scope's measures, cached with that scope's data: an organisation's page
    recomputes only what changed (its own column, or the Pact's), not every column."""
    data_scope = PACT if filters.buyer_group else scope
    return cached(
        "measures",
        f"{scope.key}:{filters.key}",
        lambda: _measures(selectors.totals(scope, filters), _saved_kg(scope, filters)),
        fingerprint=fingerprint_of(data_scope),
    )


COMPARED = [
    ("devices_per_organisation", _("Devices bought per organisation"), _("devices"), 0),
    ("share_not_new", _("Refurbished, remanufactured or reused"), "%", 1),
    ("share_base", _("Bought with the BASE criteria"), "%", 1),
    ("share_ecolabel", _("Bought with an ecolabel"), "%", 1),
    ("average_lifetime", _("Average expected lifetime"), _("years"), 1),
    (
        "gwp_saved_kg_per_device",
        _("Greenhouse gases saved per device"),
        _("kg CO2e"),
        1,
    ),
]


@dataclass
class Comparison:
    columns: list[str]  # "This organisation", then each group, then the Pact
    rows: list[
        tuple[str, str, int, list[float | None]]
    ]  # label, unit, decimals, values
    notes: list[str] = field(default_factory=list)


def compare(organisation: Organisation, filters: Filters) -> Comparison:
    """The organisation against the average of its groups and of the Pact.

    An average is shown only when the other organisations in it are at least three:
    otherwise the organisation could subtract its own figures and learn another's.
    No other organisation is named.
    """
    own = measures_of(Scope(kind="organisation", organisation=organisation), filters)
    reported = 1 if own.organisations else 0
    columns = [_("This organisation")]
    scopes: list[Measures | None] = [own]
    notes = []
    for group in groups_of(organisation):
        columns.append(_("Average of %(group)s") % {"group": group.name})
        measured = measures_of(Scope(kind="group", group=group), filters)
        if is_publishable(measured.organisations - reported):
            scopes.append(measured)
        else:
            scopes.append(None)
            notes.append(
                _(
                    "%(group)s has fewer than three other organisations reporting: its "
                    "average is not shown, so that no member's figures can be worked out."
                )
                % {"group": group.name}
            )
    columns.append(_("Average of the Pact"))
    pact = measures_of(PACT, filters)
    scopes.append(pact if is_publishable(pact.organisations - reported) else None)
    rows = [
        (
            str(label),
            str(unit),
            decimals,
            [getattr(m, attr) if m is not None else None for m in scopes],
        )
        for attr, label, unit, decimals in COMPARED
    ]
    return Comparison(columns=columns, rows=rows, notes=notes)


@dataclass(frozen=True)
class NamedMeasures:
    name: str
    code: str
    measures: Measures
    year: int | None = None

    @property
    def publishable(self) -> bool:
        return is_publishable(self.measures.organisations)


def _impact_by(scope: Scope, filters: Filters, keys: list[str]) -> dict[tuple, float]:
    from cfit.impact import selectors as impact

    result = impact.impact_by(selectors.counted_summaries(scope, filters), keys=keys)
    return {
        tuple(group.key[k] for k in keys): group.impact.saving.gwp_kg
        for group in result.groups
    }


def per_member(group: BuyerGroup, filters: Filters) -> list[NamedMeasures]:
    """Each member organisation's measures, for the group's coordinator."""
    scope = Scope(kind="group", group=group)
    rows = selectors.totals_by(scope, filters, "report__organisation")
    kept = selectors.kept_sums_of(scope, filters)
    members = kept[1] if kept is not None else None
    if members is not None:
        # Kept per member: after one member's change, only its saving is computed.
        saved = {
            (organisation_id,): kg
            for organisation_id, kg in partials.savings_per_member(
                scope.key, members
            ).items()
        }
    else:
        saved = _impact_by(scope, filters, ["organisation"])
    names = dict(
        Organisation.objects.filter(pk__in=[key[0] for key, _t in rows]).values_list(
            "pk", "name"
        )
    )
    return sorted(
        (
            NamedMeasures(
                name=names[key[0]],
                code=str(key[0]),
                measures=_measures(totals, saved.get((key[0],), 0.0)),
            )
            for key, totals in rows
        ),
        key=lambda m: m.name,
    )


def by_country(filters: Filters) -> list[NamedMeasures]:
    rows = selectors.totals_by(PACT, filters, "country_of_use")
    saved = _impact_by(PACT, filters, ["country"])
    return sorted(
        (
            NamedMeasures(
                name=country_name(key[0]),
                code=key[0],
                measures=_measures(totals, saved.get((key[0],), 0.0)),
            )
            for key, totals in rows
        ),
        key=lambda m: -m.measures.devices,
    )


def by_product_group(filters: Filters) -> list[NamedMeasures]:
    rows = selectors.totals_by(PACT, filters, "product_group__code", "report__year")
    saved = _impact_by(PACT, filters, ["product_group", "year"])
    names = dict(selectors.product_group_names())
    return [
        NamedMeasures(
            name=names.get(key[0], key[0]),
            code=key[0],
            year=key[1],
            measures=_measures(totals, saved.get((key[0], key[1]), 0.0)),
        )
        for key, totals in rows
    ]
