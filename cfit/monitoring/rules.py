"""The rules a purchase line keeps, defined once for every door and every message.

The form, the upload, the XLSX template, the admin, the scenario planner and the
impact method read the lifetime bounds, the conditions and the BASE-criteria rule from
here, and their error messages are built from these values.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cfit.impact import method

# A lifetime outside this range is a typing error, not a device.
LIFETIME_MIN_YEARS = Decimal("0.5")
LIFETIME_MAX_YEARS = Decimal("15")
WARRANTY_MAX_YEARS = Decimal("15")
# A line buys at least one device; counts stop where every database's integer does.
QUANTITY_MIN = 1
DEVICES_MAX = 2_147_483_647
# What the spend column holds: 14 digits, two of them cents.
SPEND_MAX_EUR = Decimal("999999999999.99")
TENDER_REFERENCE_MAX_LENGTH = 200


class Condition(models.TextChoices):
    """How a device was bought; the values are the impact method's."""

    NEW = method.NEW, _("New")
    REFURBISHED = method.REFURBISHED, _("Refurbished")
    REMANUFACTURED = method.REMANUFACTURED, _("Remanufactured")
    REUSED = method.REUSED, _("Reused internally")


def number_text(value: Decimal) -> str:
    """0.5, 15: a bound as people write it."""
    return format(value.normalize(), "f")


def lifetime_range() -> dict[str, str]:
    """The bounds for messages: `_("between %(low)s and %(high)s years") % ...`."""
    return {
        "low": number_text(LIFETIME_MIN_YEARS),
        "high": number_text(LIFETIME_MAX_YEARS),
    }


def applies_base_criteria(
    base_criteria: Iterable[int], criterion_ids: Iterable[int]
) -> bool:
    """A line is "bought with the BASE criteria" when it applies every approved BASE
    criterion of its product group. A product group without BASE criteria has nothing
    to apply: False, so that no figure counts it as meeting the Pact's minimum.
    """
    base = set(base_criteria)
    return bool(base) and base.issubset(set(criterion_ids))


def missing_base_criteria(
    base_criteria: Iterable[int], criterion_ids: Iterable[int]
) -> set[int]:
    """The approved BASE criteria of the line's product group it does not apply."""
    return set(base_criteria) - set(criterion_ids)
