"""A migration step that lets django-parler see a model as translatable from then on.

parler needs the model it translates to have its mixin among its bases, also in the
historical models of migrations; makemigrations does not record a change of bases.
Put `MakeTranslatable("productgroup")` before the CreateModel of its translations.
It changes the migration state only: the database is untouched.
"""

from typing import Any

from django.db import models
from django.db.migrations.operations.base import Operation
from parler.models import TranslatableModelMixin


class MakeTranslatable(Operation):
    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name.lower()

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        model_state = state.models[app_label, self.model_name]
        model_state.bases = (TranslatableModelMixin, models.Model)
        state.reload_model(app_label, self.model_name, delay=True)

    def database_forwards(self, *args: Any) -> None:
        pass

    def database_backwards(self, *args: Any) -> None:
        pass

    def describe(self) -> str:
        return f"Make {self.model_name} translatable"
