"""The one vocabulary of the indicators: what each is called and in which unit.

Every page, export, chart and admin list names an indicator from here, so that the
same figure never carries two names.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import method


@dataclass(frozen=True)
class IndicatorName:
    key: str  # the method's name for it (method.GWP, ...)
    name: "str | Promise"
    unit: str  # the unit the method computes in


NAMES: tuple[IndicatorName, ...] = (
    IndicatorName(method.GWP, _("Greenhouse gases"), "kg CO2e"),
    IndicatorName(
        method.ADPE, _("Minerals and metals (abiotic depletion)"), "kg Sb eq"
    ),
    IndicatorName(method.MIPS, _("Material input"), "kg"),
    IndicatorName(method.MASS, _("Device mass"), "kg"),
)
BY_KEY = {indicator.key: indicator for indicator in NAMES}


def name_of(key: str) -> "str | Promise":
    return BY_KEY[key].name
