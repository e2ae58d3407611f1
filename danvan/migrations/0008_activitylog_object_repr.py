"""The activity row keeps what its object was called (``ActivityLog.object_repr``), so
that the audit page lists a page of rows without reading every object of every type.

Added empty on existing rows (instant on PostgreSQL 11+): the page reads the objects of
those rows as before. No backfill here: a migration's historical models have no
``__str__`` of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("danvan", "0007_indexes_for_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitylog",
            name="object_repr",
            field=models.TextField(blank=True, default="", verbose_name="object"),
        ),
    ]
