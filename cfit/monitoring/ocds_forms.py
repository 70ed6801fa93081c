"""Forms of the OCDS import: the upload, and one small form per proposed line."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import Criterion, Ecolabel
from cfit.lib.forms import BoundedModelMultipleChoiceField

from .models import LIFETIME_MAX_YEARS, LIFETIME_MIN_YEARS, Condition
from .ocds import MAX_PACKAGE_BYTES


class OcdsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("OCDS file (JSON)"),
        help_text=_(
            "A release package or record package downloaded from your national "
            "procurement portal, as JSON; or a small text file holding only the "
            "package's address on the portal (https://…), which the platform then "
            "fetches."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": MAX_PACKAGE_BYTES // (1024 * 1024)}
            )
        return upload


class CompletionForm(forms.Form):
    """What OCDS does not say about a proposed line, filled in by the procurer."""

    include = forms.BooleanField(label=_("Add this line"), required=False, initial=True)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Condition.choices, initial=Condition.NEW
    )
    expected_lifetime_years = forms.DecimalField(
        label=_("Expected lifetime (years)"),
        required=False,
        min_value=LIFETIME_MIN_YEARS,
        max_value=LIFETIME_MAX_YEARS,
        decimal_places=2,
        help_text=_("Leave empty if not known: the product group's baseline is used."),
    )
    ecolabels = BoundedModelMultipleChoiceField(
        label=_("Ecolabels"),
        queryset=Ecolabel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    criteria = BoundedModelMultipleChoiceField(
        label=_("Pact criteria applied"),
        queryset=Criterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )

    def __init__(self, *args: Any, product_group: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = Criterion.objects.filter(  # type: ignore[attr-defined]
            product_groups__code=product_group
        ).order_by("code")
        self.fields["criteria"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.code} · {c.title}"
        )

    def as_row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "quantity": data.get("quantity"),
            "condition": data.get("condition"),
            "expected_lifetime_years": data.get("expected_lifetime_years"),
            "ecolabels": [e.code for e in data.get("ecolabels") or []],
            "criteria": [c.code for c in data.get("criteria") or []],
        }
