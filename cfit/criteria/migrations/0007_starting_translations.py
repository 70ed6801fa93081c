"""Load the Dutch, French, German and Spanish texts of the starting criteria.

They go through the same path as an import of a translators' file, so that the
placeholders and the versions are checked the same way.
"""

from django.db import migrations

LANGUAGES = ("nl", "fr", "de", "es")


def forwards(apps, schema_editor):
    # The services work on the real models: parler's translations need them.
    from cfit.criteria.starting_translations import starting_file
    from cfit.criteria.translation_services import starting_translations_load

    for language in LANGUAGES:
        data = starting_file(language)
        if data:
            starting_translations_load(language=language, data=data)


def backwards(apps, schema_editor):
    for name in (
        "CriterionVersionTranslation",
        "CriterionParameterTranslation",
        "ProductGroupTranslation",
        "EcolabelTranslation",
    ):
        apps.get_model("criteria", name).objects.filter(
            language_code__in=LANGUAGES
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0006_translations_and_tender_language")]

    operations = [migrations.RunPython(forwards, backwards)]
