"""How every form on the site is drawn: one field component, errors beside the field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def _key_field(field: forms.ModelChoiceField) -> Any:  # type: ignore[type-arg]
    model = field.queryset.model  # type: ignore[union-attr]
    return model._meta.get_field(field.to_field_name or model._meta.pk.name)


def key_out_of_range(field: forms.ModelChoiceField, value: object) -> bool:  # type: ignore[type-arg]
    """True for a key that reads as a whole number no column of its type can hold.

    Django asks the database about every posted key: SQLite overflows and PostgreSQL
    refuses the query, which would be a 500. The one home of that range.
    """
    key = _key_field(field)
    if not isinstance(key, models.IntegerField):
        return False
    try:
        number = key.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False  # not a number: Django's own check says so
    low, high = connection.ops.integer_field_range(key.get_internal_type())
    return bool(
        (low is not None and number < low) or (high is not None and number > high)
    )


def storable_key(field: forms.ModelChoiceField, value: object) -> bool:  # type: ignore[type-arg]
    """True when the value can be the key of an object of the field's model."""
    try:
        _key_field(field).to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return not key_out_of_range(field, value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several rows that refuses a key no database integer can hold:
    such a key is an unknown choice, not a 500."""

    def _check_values(self, value: Any) -> Any:
        for key in value:
            if key_out_of_range(self, str(key).strip()):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super()._check_values(value)  # type: ignore[misc]
