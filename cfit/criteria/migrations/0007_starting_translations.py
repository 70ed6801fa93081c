"""Load the Dutch, French, German and Spanish texts of the starting criteria, and on
PostgreSQL index every version's texts for search in each language (GIN).

They go through the same path as an import of a translators' file, so that the
placeholders and the versions are checked the same way.
"""

from django.db import migrations

LANGUAGES = ("nl", "fr", "de", "es")
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS criteria_version_search "
    "ON criteria_criterionversion USING gin (search_vector)"
)
DROP_INDEX = "DROP INDEX IF EXISTS criteria_version_search"


def forwards(apps, schema_editor):
    # The services work on the real models: parler's translations need them.
    from cfit.criteria.search import versions_reindex
    from cfit.criteria.starting_translations import starting_file
    from cfit.criteria.translation_services import starting_translations_load

    if schema_editor.connection.vendor == "postgresql":
        # First: PostgreSQL refuses an index on a table with pending trigger events.
        schema_editor.execute(CREATE_INDEX)
    for language in LANGUAGES:
        data = starting_file(language)
        if data:
            starting_translations_load(language=language, data=data)
    if schema_editor.connection.vendor == "postgresql":
        CriterionVersion = apps.get_model("criteria", "CriterionVersion")
        versions_reindex(CriterionVersion.objects.values_list("pk", flat=True))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)
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
