"""Indexes for the pages' searches: the units' folded ``search_text`` is searched with
``__contains`` (``LIKE '%…%'``), which a B-tree cannot serve; on PostgreSQL a GIN trigram
index (extension pg_trgm, trusted since PostgreSQL 13: the database owner may create it)
can. SQLite has no trigram index: there the migration only drops the useless B-tree.
See docs/performance.md, "Indexes and query plans"."""

from django.db import migrations, models

# Inlined rather than shared with the code: a migration must not change with it.
CREATE_EXTENSION_SQL = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
CREATE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS unit_search_trgm ON danvan_unit "
    "USING gin (search_text gin_trgm_ops)"
)
DROP_INDEX_SQL = "DROP INDEX IF EXISTS unit_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_EXTENSION_SQL)
        schema_editor.execute(CREATE_INDEX_SQL)


def drop_trigram_index(apps, schema_editor):
    # The extension stays: dropping it would need every index using it gone first, and it
    # costs nothing unused.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("danvan", "0006_vietnamese_collation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unit",
            name="search_text",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
