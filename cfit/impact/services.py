"""Writes of the impact app: making a FactorSet current, recomputing, scenarios."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.criteria.models import ProductGroup
from cfit.lib.rows import lock_and_reload
from cfit.organisations.models import Organisation

from .factorsets import FactorSetDataError, factorset_data, store_factorset
from .models import FactorSet, Recompute, Scenario, ScenarioOption
from .tasks import recompute_figures

MAX_SCENARIO_OPTIONS = 3


@transaction.atomic
def factorset_make_current(*, factorset: FactorSet, by: User) -> FactorSet:
    """Make a FactorSet the one every figure uses from now on, and lock it.

    Figures stored under earlier FactorSets stay as they were; a recomputation
    under the new one starts in the background.
    """
    lock_and_reload(factorset, "is_current")
    if factorset.is_current:
        raise ValidationError(_("This FactorSet is already the current one."))
    if not factorset.products.exists():
        raise ValidationError(_("This FactorSet has no product factors."))
    FactorSet.objects.filter(is_current=True).update(is_current=False)
    factorset.is_current = True
    factorset.made_current_at = timezone.now()
    factorset.made_current_by = by
    factorset.save(update_fields=["is_current", "made_current_at", "made_current_by"])
    recompute_start(factorset=factorset, by=by)
    return factorset


@transaction.atomic
def recompute_start(*, factorset: FactorSet, by: User) -> Recompute:
    """Start recomputing and storing every report's figures under a FactorSet."""
    # Two clicks on "recompute": the second waits here, then sees the first one's run.
    lock_and_reload(factorset, "is_current")
    if factorset.recomputes.filter(status__in=["waiting", "running"]).exists():
        raise ValidationError(_("A recomputation under this FactorSet is running."))
    recompute = Recompute.objects.create(factorset=factorset, started_by=by)
    transaction.on_commit(lambda: recompute_figures.enqueue(recompute_id=recompute.pk))
    return recompute


@dataclass(frozen=True)
class OptionInput:
    label: str
    product_group: ProductGroup
    quantity: int
    share_refurbished_percent: int
    lifetime_years: Decimal
    country: str


@transaction.atomic
def scenario_save(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    options: list[OptionInput],
) -> Scenario:
    """Save a plan of one to three scenarios for the organisation."""
    if not 1 <= len(options) <= MAX_SCENARIO_OPTIONS:
        raise ValidationError(_("A plan has one to three scenarios."))
    scenario = Scenario.objects.create(
        organisation=organisation, title=title.strip(), created_by=by
    )
    for position, option in enumerate(options, start=1):
        row = ScenarioOption(
            scenario=scenario,
            position=position,
            label=option.label,
            product_group=option.product_group,
            quantity=option.quantity,
            share_refurbished_percent=option.share_refurbished_percent,
            lifetime_years=option.lifetime_years,
            country=option.country,
        )
        row.full_clean()  # raises before anything of a bad plan is kept
        row.save()
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario) -> None:
    scenario.delete()


@transaction.atomic
def product_factors_add(
    *,
    version: str,
    product_group: ProductGroup,
    values: dict[str, Decimal],
    sources: dict[str, str],
    archetype: str = "",
) -> FactorSet:
    """Give a product group its factors, as data: in FactorSet `version` if it is not
    locked yet, else in a new FactorSet `version` copied from the current one.

    The secretariat then compares the FactorSet and makes it current; figures made
    with earlier FactorSets do not change.
    """
    factorset = FactorSet.objects.filter(version=version).first()
    if factorset is None:
        current = FactorSet.objects.current()
        if current is None:
            raise ValidationError(_("There is no current FactorSet to start from."))
        data = factorset_data(current)
        data["version"] = version
        data["title"] = _("%(version)s with factors for %(group)s") % {
            "version": current.version,
            "group": product_group.name,
        }
        data["products"] = [
            p for p in data["products"] if p["product_group"] != product_group.code
        ]
        try:
            factorset = store_factorset(data)
        except FactorSetDataError as error:
            raise ValidationError(str(error)) from error
    if factorset.is_locked:
        raise ValidationError(
            _(
                "FactorSet %(version)s has been current: its factors stay as they were. Name a new version."
            )
            % {"version": version}
        )
    if values.get("baseline_lifetime_years", Decimal(0)) <= 0:
        raise ValidationError(_("The baseline lifetime must be more than zero."))
    factorset.products.update_or_create(
        product_group=product_group,
        defaults={**values, "archetype": archetype, "sources": sources},
    )
    return factorset
