"""The administration refuses keys no database can hold, as a form error.

A choice of a related object (a select, an autocomplete or a raw id box) is a primary
key typed by the browser. Django looks a typed key up as it is: text such as "xxx" in
an autocomplete box raised a ValueError while the form was drawn again, and a number
beyond the database's integers an OverflowError (SQLite) before any form error, both a
500. Every registered admin reads its related choices through these fields: a key that
is not a storable key of the related model is "not one of the available choices", and
the form is shown again without it.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from cfit.lib.forms import storable_key


class StorableModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not storable_key(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        # What is drawn again after an error: never a key the widget cannot look up.
        if data in self.empty_values or storable_key(self, data):
            return data
        return None


class StorableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for each in value:
            if not storable_key(self, each):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(each)[:60]},
                )
        return super()._check_values(value)  # type: ignore[misc]

    def bound_data(self, data: Any, initial: Any) -> Any:
        if not isinstance(data, list | tuple):
            return data
        return [each for each in data if storable_key(self, each)]


OVERRIDES = {
    models.ForeignKey: StorableModelChoiceField,
    models.OneToOneField: StorableModelChoiceField,
    models.ManyToManyField: StorableModelMultipleChoiceField,
}


def guard_related_choices(site: admin.AdminSite) -> None:
    """Give every admin registered on the site the fields above (called once, when
    the apps are ready: every admin module has been read by then)."""
    for model_admin in site._registry.values():
        for db_field, form_class in OVERRIDES.items():
            options = model_admin.formfield_overrides.setdefault(db_field, {})  # type: ignore[attr-defined]
            options.setdefault("form_class", form_class)
        # Inlines are made for each request from their class: a copy of the class's
        # overrides with these added (the base class's own dict is shared by all).
        for inline in model_admin.inlines:
            overrides = {
                key: dict(value) for key, value in inline.formfield_overrides.items()
            }
            for db_field, form_class in OVERRIDES.items():
                overrides.setdefault(db_field, {}).setdefault("form_class", form_class)
            inline.formfield_overrides = overrides
