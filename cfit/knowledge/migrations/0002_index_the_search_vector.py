"""A GIN index on the stored search vectors, on PostgreSQL only (SQLite has no GIN)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS knowledge_example_search "
    "ON knowledge_goodexample USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS knowledge_example_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_good_examples_news_and_events")]

    operations = [migrations.RunPython(create_index, drop_index)]
