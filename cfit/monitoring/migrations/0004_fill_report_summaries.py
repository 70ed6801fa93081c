"""Fill the report summaries for the reports that exist (a copy of summaries.py's SQL,
so that this migration keeps its meaning when the app's code changes)."""

from django.db import migrations

FILL = (
    'INSERT INTO "monitoring_reportsummary" ("report_id", "product_group_id", '
    '"condition", "country_of_use", "devices", "device_years", '
    '"devices_lifetime_unknown", "devices_reused", "devices_retired", '
    '"devices_with_ecolabel", "devices_with_base_criteria", "spend_eur", "lines") '
    "SELECT report_id, product_group_id, condition, country_of_use, "
    "SUM(quantity), "
    "COALESCE(SUM(CASE WHEN expected_lifetime_years IS NOT NULL "
    "THEN quantity * expected_lifetime_years ELSE 0 END), 0), "
    "SUM(CASE WHEN expected_lifetime_years IS NULL THEN quantity ELSE 0 END), "
    "SUM(CASE WHEN retired_to = 'reuse' THEN devices_retired ELSE 0 END), "
    "SUM(devices_retired), "
    "SUM(CASE WHEN has_ecolabel THEN quantity ELSE 0 END), "
    "SUM(CASE WHEN applies_base_criteria THEN quantity ELSE 0 END), "
    "COALESCE(SUM(spend_eur), 0), "
    "COUNT(*) "
    'FROM "monitoring_purchaseline" '
    "GROUP BY report_id, product_group_id, condition, country_of_use"
)


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute('DELETE FROM "monitoring_reportsummary"')
        cursor.execute(FILL)


def empty(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute('DELETE FROM "monitoring_reportsummary"')


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_report_summary")]

    operations = [migrations.RunPython(fill, empty)]
