from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import Criterion, Ecolabel, ProductGroup
from cfit.lib.forms import BoundedModelMultipleChoiceField

from .importing import MAX_FILE_BYTES
from .models import (
    DemandForecast,
    ImportMode,
    PurchaseLine,
    ReportingPeriod,
)


class CriterionCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that say which product groups each criterion is for.

    static/js/monitoring-line-form.js uses it to show only the criteria of the chosen
    product group; without JavaScript every criterion is listed and the form checks.
    """

    groups_of: dict[str, str]

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        groups = getattr(self, "groups_of", {}).get(str(option["value"]), "")
        option["attrs"]["data-product-groups"] = groups
        return option


class CriterionChoiceField(BoundedModelMultipleChoiceField):
    widget = CriterionCheckboxes

    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.code} · {obj.title}"


def _criteria_groups() -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    through = Criterion.product_groups.through.objects.values_list(
        "criterion_id", "productgroup_id"
    )
    for criterion_id, group_id in through:
        groups.setdefault(str(criterion_id), []).append(str(group_id))
    return {key: " ".join(values) for key, values in groups.items()}


class PurchaseLineForm(forms.ModelForm):
    """Every field of a line. `version` comes back with the form to detect a clash."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    ecolabels = BoundedModelMultipleChoiceField(
        queryset=Ecolabel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ecolabels"),
    )
    criteria = CriterionChoiceField(
        queryset=Criterion.objects.prefetch_related("product_groups").order_by("code"),
        required=False,
        label=_("Pact criteria applied"),
        help_text=_("Tick the criteria of the criteria base that the tender used."),
    )

    class Meta:
        model = PurchaseLine
        fields = [
            "product_group",
            "quantity",
            "condition",
            "expected_lifetime_years",
            "warranty_years",
            "ecolabels",
            "criteria",
            "spend_eur",
            "country_of_use",
            "tender_reference",
            "devices_retired",
            "retired_to",
        ]
        widgets = {"condition": forms.RadioSelect}
        help_texts = {
            "quantity": _("How many devices were bought."),
            "retired_to": _("Required when devices were retired."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_group"].queryset = ProductGroup.objects.all()  # type: ignore[attr-defined]
        self.fields["product_group"].empty_label = _("Choose a product group")  # type: ignore[attr-defined]
        self.fields["retired_to"].required = False
        for name in ("expected_lifetime_years", "warranty_years", "spend_eur"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["criteria"].widget.groups_of = _criteria_groups()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        retired = cleaned.get("devices_retired") or 0
        if retired and not cleaned.get("retired_to"):
            self.add_error(
                "retired_to",
                _("Say where the retired devices went, or choose Unknown."),
            )
        if not retired:
            cleaned["retired_to"] = ""
        group = cleaned.get("product_group")
        criteria = cleaned.get("criteria") or []
        if group is not None:
            wrong = [c.code for c in criteria if group not in c.product_groups.all()]
            if wrong:
                self.add_error(
                    "criteria",
                    _("Not criteria for %(group)s: %(codes)s.")
                    % {"group": group, "codes": ", ".join(wrong)},
                )
        return cleaned

    def line_values(self) -> dict[str, Any]:
        """The plain field values, for the services."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("ecolabels", "criteria")
        }


class DeleteLineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One row per purchase, with a header row. Use the template, or your own spreadsheet with the same column names."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ConfirmImportForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What to do with the lines already in the report"),
        choices=ImportMode.choices,
        initial=ImportMode.ADD,
        widget=forms.RadioSelect,
    )


class QueryForm(forms.Form):
    question = forms.CharField(
        label=_("Your question about this line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "If the line was wrong, correct it first, then say what you changed."
        ),
    )


class ReportingPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "deadline", "open"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


class DemandForecastForm(forms.ModelForm):
    criteria = CriterionChoiceField(
        queryset=Criterion.objects.prefetch_related("product_groups").order_by("code"),
        required=False,
        label=_("Intended criteria"),
    )

    class Meta:
        model = DemandForecast
        fields = [
            "title",
            "product_group",
            "quantity",
            "year",
            "quarter",
            "level",
            "criteria",
        ]
        widgets = {"level": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_group"].empty_label = _("Choose a product group")  # type: ignore[attr-defined]
        self.fields["quarter"].required = False
        self.fields["criteria"].widget.groups_of = _criteria_groups()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        group = cleaned.get("product_group")
        criteria = cleaned.get("criteria") or []
        if group is not None:
            wrong = [c.code for c in criteria if group not in c.product_groups.all()]
            if wrong:
                self.add_error(
                    "criteria",
                    _("Not criteria for %(group)s: %(codes)s.")
                    % {"group": group, "codes": ", ".join(wrong)},
                )
        return cleaned
