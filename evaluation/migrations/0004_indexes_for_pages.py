"""A partial index for a round's conflicts waiting for a decision (the round page's count,
the results page's warning, finalising): a handful among thousands of assignments. See
docs/performance.md, "Indexes and query plans"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_vietnamese_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("conflict_status", "declared")),
                fields=["round"],
                name="assignment_declared_conflict",
            ),
        ),
    ]
