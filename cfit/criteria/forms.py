from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cfit.lib.forms import BoundedModelMultipleChoiceField
from cfit.lib.translations import (
    ORIGINAL_LANGUAGE_CHOICES,
    reader_language,
    translated_text,
)

from .models import (
    CriterionCategory,
    CriterionKind,
    CriterionLevel,
    CriterionSource,
    CriterionVersion,
    Ecolabel,
    ParameterType,
    ProductGroup,
)
from .services import ParameterSpec, Pick, VersionContent


def _all(label: Any, choices: Any) -> list[tuple[str, Any]]:
    """Choices with a first entry that means no filter; labels stay lazy."""
    return [("", label), *[(str(v), lbl) for v, lbl in choices]]


class CriteriaFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words in the code, title or texts, e.g. battery or warranty."),
    )
    product_group = forms.ChoiceField(label=_("Product group"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=_all(_("All categories"), CriterionCategory.choices),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_all(_("All kinds"), CriterionKind.choices),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=_all(_("All levels"), CriterionLevel.choices),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=_all(_("All sources"), CriterionSource.choices),
    )
    ecolabel = forms.ChoiceField(label=_("Proved by ecolabel"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Product groups and ecolabels are data: new ones appear here without code.
        self.fields["product_group"].choices = _all(  # type: ignore[attr-defined]
            _("All product groups"),
            ProductGroup.objects.values_list("code", "name"),
        )
        self.fields["ecolabel"].choices = _all(  # type: ignore[attr-defined]
            _("Any or none"), Ecolabel.objects.values_list("code", "name")
        )


class ProductGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.in_pact_scope:
            return str(obj.name)
        return _("%(name)s (not yet in the Pact scope)") % {"name": obj.name}


class BuilderSetupForm(forms.Form):
    """Step one of the tender builder: what is bought, and how ambitious the tender is."""

    product_group = ProductGroupChoiceField(
        label=_("Product group"),
        queryset=ProductGroup.objects.all(),
        to_field_name="code",
        empty_label=_("Choose a product group"),
    )
    level = forms.ChoiceField(
        label=_("Level of the tender"),
        choices=CriterionLevel.choices,
        initial=CriterionLevel.BASE,
        widget=forms.RadioSelect,
        help_text=_(
            "Base: the common minimum of every Pact procurement. Ambitious and "
            "Front-runner add criteria on top of the base."
        ),
    )
    refurbished_lot = forms.BooleanField(
        label=_("This lot buys refurbished devices"),
        required=False,
        help_text=_("Adds the base criteria for refurbished devices."),
    )
    language = forms.ChoiceField(
        label=_("Language of the tender documents"),
        choices=ORIGINAL_LANGUAGE_CHOICES,
        required=False,
        help_text=_(
            "The downloads are written entirely in this language, whatever the language of these pages."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = reader_language()

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or reader_language()


class TenderBuilderForm(forms.Form):
    """Step two: the criteria chosen and the values of their parameters.

    Parameter fields are named param-<code>-<name>; only those of chosen criteria count.
    """

    title = forms.CharField(
        label=_("Title of the tender"),
        max_length=200,
        help_text=_("For example: Laptops for the city offices 2027"),
    )
    criteria = forms.MultipleChoiceField(
        label=_("Criteria"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, versions: list[CriterionVersion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {v.criterion.code: v for v in versions}
        self.fields["criteria"].choices = [  # type: ignore[attr-defined]
            (code, code) for code in self.versions
        ]
        for code, version in self.versions.items():
            for parameter in version.parameters.all():
                name = f"param-{code}-{parameter.name}"
                # The code in the label tells apart criteria with the same parameter.
                # In the page's language, like the criteria beside them.
                label = f"{code}: {translated_text(parameter, 'label')}"
                unit = translated_text(parameter, "unit")
                if unit:
                    label += f" ({unit})"
                if parameter.value_type == ParameterType.CHOICE:
                    field: forms.Field = forms.ChoiceField(
                        label=label,
                        choices=[(c, c) for c in parameter.choice_list],
                        required=False,
                    )
                else:
                    attrs = {"inputmode": "decimal"}
                    if parameter.minimum is not None:
                        attrs["min"] = str(parameter.minimum.normalize())
                    if parameter.maximum is not None:
                        attrs["max"] = str(parameter.maximum.normalize())
                    field = forms.CharField(
                        label=label,
                        required=False,
                        max_length=40,
                        widget=forms.TextInput(attrs=attrs),
                        help_text=_("Allowed: %(range)s")
                        % {"range": parameter.range_text}
                        if parameter.range_text
                        else "",
                    )
                field.initial = parameter.default
                self.fields[name] = field

    def parameter_fields(self, code: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(f"param-{code}-")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("criteria") or []
        if not chosen and "criteria" not in self.errors:
            self.add_error(
                "criteria", _("Choose at least one criterion for the tender.")
            )
        for code in chosen:
            for parameter in self.versions[code].parameters.all():
                name = f"param-{code}-{parameter.name}"
                try:
                    data[name] = parameter.clean_value(data.get(name, ""))
                except ValidationError as error:
                    self.add_error(name, f"{code}: {' '.join(error.messages)}")
        return data

    def picks(self) -> list[Pick]:
        data = self.cleaned_data
        return [
            Pick(
                version=self.versions[code],
                values={
                    p.name: data[f"param-{code}-{p.name}"]
                    for p in self.versions[code].parameters.all()
                },
            )
            for code in data["criteria"]
        ]


class CriterionVersionForm(forms.ModelForm):
    class Meta:
        model = CriterionVersion
        fields = [
            "title",
            "level",
            "refurbished_lots_only",
            "category",
            "kind",
            "product_groups",
            "tender_text",
            "rationale",
            "verification",
            "ecolabels",
            "source",
            "source_reference",
            "change_note",
        ]
        field_classes = {
            "product_groups": BoundedModelMultipleChoiceField,
            "ecolabels": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "product_groups": forms.CheckboxSelectMultiple,
            "ecolabels": forms.CheckboxSelectMultiple,
            "tender_text": forms.Textarea(attrs={"rows": 6}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "verification": forms.Textarea(attrs={"rows": 3}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
        }

    def content(self, parameters: list[ParameterSpec]) -> VersionContent:
        data = self.cleaned_data
        return VersionContent(
            title=data["title"],
            level=data["level"],
            category=data["category"],
            kind=data["kind"],
            tender_text=data["tender_text"],
            source=data["source"],
            product_groups=list(data["product_groups"]),
            rationale=data["rationale"],
            verification=data["verification"],
            source_reference=data["source_reference"],
            refurbished_lots_only=data["refurbished_lots_only"],
            change_note=data["change_note"],
            ecolabels=list(data["ecolabels"]),
            parameters=parameters,
        )


class NewCriterionForm(CriterionVersionForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "Letters, a hyphen and digits, for example LIFE-10. It never changes."
        ),
    )

    field_order = ["code"]


class ParameterForm(forms.Form):
    name = forms.SlugField(
        label=_("Name in the text"),
        max_length=40,
        help_text=_("Write {name} in the tender text where the value goes."),
    )
    label = forms.CharField(label=_("Label"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    value_type = forms.ChoiceField(
        label=_("Type"),
        choices=ParameterType.choices,
        # With this initial value an empty extra row counts as unchanged and is skipped.
        initial=ParameterType.INTEGER,
    )
    default = forms.CharField(label=_("Default value"), max_length=40)
    minimum = forms.DecimalField(
        label=_("Lowest allowed"), required=False, max_digits=10, decimal_places=2
    )
    maximum = forms.DecimalField(
        label=_("Highest allowed"), required=False, max_digits=10, decimal_places=2
    )
    choices = forms.CharField(
        label=_("Allowed values"),
        max_length=200,
        required=False,
        help_text=_("For a list: the values, separated by commas."),
    )

    def spec(self) -> ParameterSpec:
        data = self.cleaned_data
        return ParameterSpec(
            name=data["name"],
            label=data["label"],
            unit=data["unit"],
            value_type=data["value_type"],
            default=data["default"],
            minimum=data["minimum"],
            maximum=data["maximum"],
            choices=data["choices"],
        )


ParameterFormSet = forms.formset_factory(
    ParameterForm, extra=1, can_delete=True, max_num=6
)


def parameter_specs(formset: Any) -> list[ParameterSpec]:
    return [
        form.spec()
        for form in formset.forms
        if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
    ]


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The drafter sees this note with the draft."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with criteria"),
        help_text=_(
            "Columns: code, title, product_groups, category, kind, level, tender_text, "
            "source; optional: refurbished_lots_only, rationale, verification, ecolabels, "
            "source_reference, parameters, change_note."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload


# Translations ---------------------------------------------------------------------------


def translation_language_choices() -> list[tuple[str, str]]:
    return [
        (code, str(name)) for code, name in ORIGINAL_LANGUAGE_CHOICES if code != "en"
    ]


class VersionTranslationForm(forms.Form):
    """One criterion's texts in one language; the original is shown beside each field."""

    title = forms.CharField(label=_("Title"), max_length=300)
    tender_text = forms.CharField(
        label=_("Tender text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Keep each value in braces, such as {years}, exactly as in the original."
        ),
    )
    rationale = forms.CharField(
        label=_("Why this criterion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    verification = forms.CharField(
        label=_("How to verify it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, version: CriterionVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        for name in ("title", "tender_text", "rationale", "verification"):
            self.fields[name].original = getattr(version, name)  # type: ignore[attr-defined]
        for parameter in version.parameters.all():
            for part, label, limit in (
                ("label", _("Name of the value “%(name)s”"), 200),
                ("unit", _("Unit of the value “%(name)s”"), 40),
            ):
                field = forms.CharField(
                    label=label % {"name": parameter.label},
                    max_length=limit,
                    required=part == "label",
                )
                field.original = getattr(parameter, part)  # type: ignore[attr-defined]
                self.fields[f"parameter.{parameter.name}.{part}"] = field

    def texts(self) -> dict[str, str]:
        return {name: value or "" for name, value in self.cleaned_data.items()}


class TranslationExportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=translation_language_choices
    )
    file_format = forms.ChoiceField(
        label=_("File"),
        choices=[
            ("xliff", _("XLIFF 1.2 (translation tools)")),
            ("csv", _("CSV (spreadsheets)")),
        ],
    )


class TranslationImportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=translation_language_choices
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV or XLIFF file exported here, with the translations filled in."
        ),
    )
