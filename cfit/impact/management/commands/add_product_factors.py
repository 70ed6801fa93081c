"""Give a product group its impact factors as data, in a new or editable FactorSet."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfit.criteria.models import ProductGroup
from cfit.impact import method
from cfit.impact.services import product_factors_add

# (option, field of ProductFactor, what it is)
FACTORS = (
    ("gwp", method.GWP, "embodied greenhouse gases of one new device, kg CO2e"),
    ("adpe", method.ADPE, "embodied minerals and metals, kg Sb eq"),
    ("mips", method.MIPS, "material input, kg"),
    ("mass", method.MASS, "device mass, kg"),
    ("yearly-energy", "yearly_energy_kwh", "electricity a year, kWh"),
    ("second-life", "second_life_years", "second life L2 of a reused device, years"),
)


class Command(BaseCommand):
    help = (
        "Give a product group its impact factors (no code change): into FactorSet "
        "--factorset if it has never been current, else into a new FactorSet of that "
        "version copied from the current one. Compare it and make it current on the "
        "site afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factorset", required=True, help="e.g. 2026-1")
        parser.add_argument("--product-group", required=True, help="its code")
        for option, _field, what in FACTORS:
            parser.add_argument(f"--{option}", required=True, help=what)
        parser.add_argument(
            "--baseline-lifetime",
            help="L0 in years (default: the product group's baseline lifetime)",
        )
        parser.add_argument("--archetype", default="")
        parser.add_argument(
            "--source", required=True, help="where the factors come from"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        group = ProductGroup.objects.filter(code=options["product_group"]).first()
        if group is None:
            raise CommandError(f"There is no product group {options['product_group']}.")
        values = {
            field: _number(options[option.replace("-", "_")], option)
            for option, field, _what in FACTORS
        }
        values["baseline_lifetime_years"] = (
            _number(options["baseline_lifetime"], "baseline-lifetime")
            if options["baseline_lifetime"]
            else group.baseline_lifetime_years
        )
        source = options["source"]
        try:
            factorset = product_factors_add(
                version=options["factorset"],
                product_group=group,
                values=values,
                sources=dict.fromkeys(
                    ("embodied", "mass", "yearly_energy", "second_life"), source
                ),
                archetype=options["archetype"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"FactorSet {factorset.version}: factors of {group.code} stored; "
            f"{factorset.products.count()} product groups"
        )


def _number(text: str, option: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"--{option}: {text!r} is not a number.") from None
    if not number.is_finite() or number < 0:
        raise CommandError(f"--{option}: {text!r} is not a positive number.")
    return number
