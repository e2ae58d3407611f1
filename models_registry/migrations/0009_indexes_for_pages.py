"""Indexes for the intake list and the searches: the list's order (newest submission first,
``selectors.INTAKE_ORDER``, read backwards) and, on PostgreSQL only, a GIN trigram index on
the models' folded ``search_text`` so that ``__contains`` (``LIKE '%…%'``) reads the index
instead of every model (the extension pg_trgm is created by danvan 0007). SQLite has no
trigram index: there that step does nothing. See docs/performance.md, "Indexes and query
plans"."""

from django.db import migrations

# Inlined rather than shared with the code: a migration must not change with it.
CREATE_EXTENSION_SQL = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
CREATE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS dvk_model_search_trgm ON models_registry_dvkmodel "
    "USING gin (search_text gin_trgm_ops)"
)
# The intake order, INTAKE_ORDER = (submitted_at DESC NULLS LAST, id DESC), read backwards.
# SQLite sorts NULL first in ascending order and cannot say so in an index.
CREATE_ORDER_INDEX_SQL = {
    "postgresql": "CREATE INDEX IF NOT EXISTS dvk_model_intake_order ON models_registry_dvkmodel "
    "(submitted_at ASC NULLS FIRST, id ASC)",
    "default": "CREATE INDEX IF NOT EXISTS dvk_model_intake_order ON models_registry_dvkmodel "
    "(submitted_at ASC, id ASC)",
}
DROP_INDEX_SQL = [
    "DROP INDEX IF EXISTS dvk_model_search_trgm",
    "DROP INDEX IF EXISTS dvk_model_intake_order",
]


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(CREATE_ORDER_INDEX_SQL.get(vendor, CREATE_ORDER_INDEX_SQL["default"]))
    if vendor == "postgresql":
        schema_editor.execute(CREATE_EXTENSION_SQL)
        schema_editor.execute(CREATE_INDEX_SQL)


def drop_indexes(apps, schema_editor):
    for sql in DROP_INDEX_SQL:
        if "trgm" not in sql or schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("danvan", "0007_indexes_for_pages"),
        ("models_registry", "0008_vietnamese_order"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
