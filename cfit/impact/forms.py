from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import ProductGroup
from cfit.lib.countries import country_choices
from cfit.monitoring.rules import LIFETIME_MAX_YEARS, LIFETIME_MIN_YEARS

from .models import FactorSet

OPTION_PREFIXES = ("a", "b", "c")
DEFAULT_LABELS = (_("Scenario A"), _("Scenario B"), _("Scenario C"))


class OptionForm(forms.Form):
    """One scenario of the planner. Scenarios B and C may be left empty."""

    label = forms.CharField(label=_("Name"), max_length=80)
    product_group = forms.ModelChoiceField(
        label=_("Product group"),
        queryset=ProductGroup.objects.none(),
        to_field_name="code",
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=10_000_000
    )
    share_refurbished_percent = forms.IntegerField(
        label=_("Share refurbished (%)"), min_value=0, max_value=100
    )
    lifetime_years = forms.DecimalField(
        label=_("Expected lifetime (years)"),
        min_value=LIFETIME_MIN_YEARS,
        max_value=LIFETIME_MAX_YEARS,
        decimal_places=2,
    )
    country = forms.ChoiceField(label=_("Country of use"), choices=country_choices)

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.optional = optional
        current = FactorSet.objects.current()
        self.fields["product_group"].queryset = ProductGroup.objects.filter(  # type: ignore[attr-defined]
            impact_factors__factorset=current
        )
        if optional:
            for field in self.fields.values():
                field.required = False

    def is_blank(self) -> bool:
        """An optional scenario with nothing but its name filled in is left out."""
        if not self.optional or not self.is_bound:
            return False
        names = [n for n in self.fields if n not in ("label", "country")]
        return not any(self.data.get(self.add_prefix(n), "").strip() for n in names)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.optional and not self.is_blank():
            for name, field in self.fields.items():
                if cleaned.get(name) in (None, "") and name in self.fields:
                    self.add_error(name, field.error_messages["required"])
        return cleaned


class SaveScenarioForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the plan"),
        max_length=200,
        help_text=_("E.g. the tender it prepares: 'Laptops 2027'."),
    )
