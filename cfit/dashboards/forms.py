from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.lib.countries import country_choices

FIRST_YEAR = 2000
LAST_YEAR = 2100


@dataclass(frozen=True)
class Filters:
    """What a dashboard is narrowed to; kept in the URL so that a view can be shared."""

    year_from: int | None = None
    year_to: int | None = None
    product_group: str = ""  # code
    country: str = ""  # ISO alpha-2, country of use
    buyer_group: str = ""  # slug

    @property
    def key(self) -> str:
        """A stable text for cache keys."""
        return f"{self.year_from}:{self.year_to}:{self.product_group}:{self.country}:{self.buyer_group}"

    @property
    def is_empty(self) -> bool:
        return self == Filters()


class DashboardFilterForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    product_group = forms.ModelChoiceField(
        label=_("Product group"),
        queryset=ProductGroup.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All product groups"),
    )
    country = forms.ChoiceField(label=_("Country of use"), required=False, choices=())
    buyer_group = forms.ModelChoiceField(
        label=_("Buyer group"),
        queryset=BuyerGroup.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All buyer groups"),
    )

    def __init__(
        self,
        *args,
        with_buyer_group: bool = True,
        countries: list[str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the countries that have purchases, when known: a short list to pick from.
        choices = [
            (code, name)
            for code, name in country_choices()
            if countries is None or code in countries
        ]
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", _("All countries")), *choices]
        if not with_buyer_group:
            del self.fields["buyer_group"]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_from > year_to:
            self.add_error(
                "year_to", _("The last year must be the same as or after the first.")
            )
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for; none when the form has errors (the page says why)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        product_group = data.get("product_group")
        buyer_group = data.get("buyer_group")
        return Filters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            product_group=product_group.code if product_group else "",
            country=data.get("country") or "",
            buyer_group=buyer_group.slug if buyer_group else "",
        )
