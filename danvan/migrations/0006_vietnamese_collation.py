"""Vietnamese alphabetical order: the ``vi_icu`` ICU collation on PostgreSQL (SQLite gets a
collation function of the same name on each connection, see ``danvan.db``), and units
ordered through it."""

import django.db.models.functions.comparison
from django.db import migrations, models

# Inlined rather than imported from danvan.db: a migration must not change with the code.
CREATE_COLLATION_SQL = (
    "CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi-x-icu')"
)


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_COLLATION_SQL)


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi_icu")


class Migration(migrations.Migration):

    dependencies = [
        ("danvan", "0005_notifications"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
        migrations.AlterModelOptions(
            name="unit",
            options={
                "ordering": [
                    "position",
                    models.OrderBy(
                        django.db.models.functions.comparison.Collate(models.F("name"), "vi_icu")
                    ),
                ],
                "verbose_name": "unit",
                "verbose_name_plural": "units",
            },
        ),
    ]
