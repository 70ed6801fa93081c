"""How every form on the site is drawn: one field component, errors beside the field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


# What a database integer column (a 64-bit primary key) can hold.
DATABASE_INTEGERS = range(-(2**63), 2**63)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several rows that refuses a key no database integer can hold.

    Django asks the database about every posted key: SQLite overflows and PostgreSQL
    refuses the query, which would be a 500. Such a key is an unknown choice.
    """

    def _check_values(self, value: Any) -> Any:
        for key in value:
            text = str(key).strip()
            if text.lstrip("-").isdigit() and int(text) not in DATABASE_INTEGERS:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super()._check_values(value)  # type: ignore[misc]
