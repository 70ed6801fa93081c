from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import Criterion, CriterionLevel, Ecolabel, ProductGroup
from cfit.lib.forms import BoundedModelMultipleChoiceField

from .importing import MAX_FILE_BYTES
from .models import (
    DemandForecast,
    ImportMode,
    PurchaseLine,
    ReportingPeriod,
)
from .rules import DEVICES_MAX, QUANTITY_MIN


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


def criteria_for_lines(product_group_id: int | None) -> Any:
    """The criteria a line may tick: the approved ones of its product group."""
    if product_group_id is None:
        return Criterion.objects.none()
    return (
        Criterion.objects.published()
        .filter(product_groups=product_group_id)
        .order_by("code")
    )


def line_form_filled(data: Any, *, tender_selections: Any) -> dict[str, Any]:
    """The line form's values after a fill button: "show the criteria of this product
    group", "tick every BASE criterion" or "take the criteria of my saved tender".

    Returned as initial values: nothing is checked or saved until the person saves.
    """
    initial: dict[str, Any] = {
        name: data.get(name)
        for name in PurchaseLineForm.Meta.fields
        if name not in ("ecolabels", "criteria") and data.get(name) not in (None, "")
    }
    initial["ecolabels"] = data.getlist("ecolabels")
    criteria = {str(pk) for pk in data.getlist("criteria")}
    if data.get("version"):
        initial["version"] = data.get("version")
    if "take_tender" in data:
        selection = tender_selections.filter(
            pk=_int(data.get("tender_selection"))
        ).first()
        if selection is not None:
            initial["product_group"] = selection.product_group_id
            initial["tender_reference"] = (
                initial.get("tender_reference") or selection.title
            )
            criteria = {
                str(pk)
                for pk in criteria_for_lines(selection.product_group_id)
                .filter(versions__selection_items__selection=selection)
                .values_list("pk", flat=True)
            }
    group = _int(initial.get("product_group"))
    if group:
        offered = criteria_for_lines(group)
        if "tick_base" in data:
            criteria |= {str(pk) for pk in offered.base().values_list("pk", flat=True)}
        criteria &= {str(pk) for pk in offered.values_list("pk", flat=True)}
    initial["criteria"] = sorted(criteria)
    return initial


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _criteria_groups() -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    through = Criterion.product_groups.through.objects.values_list(
        "criterion_id", "productgroup_id"
    )
    for criterion_id, group_id in through:
        groups.setdefault(str(criterion_id), []).append(str(group_id))
    return {key: " ".join(values) for key, values in groups.items()}


# Buttons of the line form that fill it rather than save it (they work without
# JavaScript: the page comes back with the form filled).
FILL_ACTIONS = ("show_criteria", "tick_base", "take_tender")


def _limit(field: forms.Field, low: int, high: int) -> None:
    """A whole-number field that refuses what the import refuses, with the browser's hint."""
    field.min_value = low  # type: ignore[attr-defined]
    field.max_value = high  # type: ignore[attr-defined]
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update({"min": low, "max": high})


class PurchaseLineForm(forms.ModelForm):
    """Every field of a line. `version` comes back with the form to detect a clash.

    The criteria offered are the approved criteria of the line's product group only,
    grouped by level (`criteria_by_level`).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    ecolabels = BoundedModelMultipleChoiceField(
        queryset=Ecolabel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ecolabels"),
    )
    criteria = CriterionChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Pact criteria applied"),
        help_text=_(
            "Tick the criteria the tender used. The line counts as bought with the BASE criteria when every BASE criterion of its product group is ticked."
        ),
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

    def __init__(self, *args: Any, criteria_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_group"].queryset = ProductGroup.objects.all()  # type: ignore[attr-defined]
        self.fields["product_group"].empty_label = _("Choose a product group")  # type: ignore[attr-defined]
        self.fields["retired_to"].required = False
        for name in ("expected_lifetime_years", "warranty_years", "spend_eur"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        # The same limits as the file import and the XLSX template (rules.py).
        _limit(self.fields["quantity"], QUANTITY_MIN, DEVICES_MAX)
        _limit(self.fields["devices_retired"], 0, DEVICES_MAX)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if criteria_url:
            # With JavaScript, choosing the product group swaps in its criteria and
            # leaves every other field as typed (the button does it without).
            self.fields["product_group"].widget.attrs.update(
                {
                    "hx-post": criteria_url,
                    "hx-trigger": "change",
                    "hx-include": "closest form",
                    "hx-vals": '{"show_criteria": "1"}',
                    "hx-target": "#line-criteria",
                    "hx-select": "#line-criteria",
                    "hx-swap": "outerHTML",
                }
            )
        self.product_group_id = self._chosen_product_group()
        self.fields["criteria"].queryset = criteria_for_lines(self.product_group_id)  # type: ignore[attr-defined]

    def _chosen_product_group(self) -> int | None:
        raw = (
            self.data.get("product_group")
            if self.is_bound
            else self.initial.get("product_group")
        )
        if raw in (None, "") and self.instance.pk:
            return self.instance.product_group_id
        try:
            return int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    def criteria_by_level(self) -> list[tuple[str, list[Any]]]:
        """The criteria's checkboxes under their level: BASE, AMBITIOUS, FRONT-RUNNER."""
        levels = dict(
            self.fields["criteria"].queryset.values_list("pk", "level")  # type: ignore[attr-defined]
        )
        grouped: dict[str, list[Any]] = {level: [] for level in CriterionLevel.values}
        for box in self["criteria"]:
            grouped[levels[int(str(box.data["value"]))]].append(box)
        return [
            (str(CriterionLevel(level).label), boxes)
            for level, boxes in grouped.items()
            if boxes
        ]

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


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it must change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("The organisation's people receive this reason with the notice."),
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
