"""Issue 8 item 10: one continuation ("duy trì") of a model per campaign, enforced by the
database. Continuations created twice before the constraint existed keep their content:
all but the most advanced (then the oldest) lose the predecessor link. Also the date rules
the forms and services check (models_registry.validators) as constraints."""

from django.db import migrations, models
from django.db.models import Count

STATUS_RANK = {"accepted": 0, "submitted": 1, "returned": 2, "draft": 3}


def unlink_duplicate_continuations(apps, schema_editor):
    DvkModel = apps.get_model("models_registry", "DvkModel")
    duplicated = (
        DvkModel.objects.exclude(predecessor=None)
        .values("predecessor_id", "campaign_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for group in duplicated:
        rows = list(
            DvkModel.objects.filter(
                predecessor_id=group["predecessor_id"], campaign_id=group["campaign_id"]
            ).order_by("created_at", "pk")
        )
        rows.sort(key=lambda row: STATUS_RANK.get(row.status, 9))
        DvkModel.objects.filter(pk__in=[row.pk for row in rows[1:]]).update(predecessor=None)


class Migration(migrations.Migration):
    dependencies = [
        ("danvan", "0003_activity_log"),
        ("models_registry", "0005_delete_statuschange"),
    ]

    operations = [
        migrations.RunPython(unlink_duplicate_continuations, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="campaign",
            name="campaign_result_after_registration",
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("result_report_due__gte", models.F("registration_closes"))),
                name="campaign_result_after_registration",
                violation_error_message="Result reports cannot be due before registration closes.",
            ),
        ),
        migrations.AddConstraint(
            model_name="dvkmodel",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("person_birth_year__isnull", True),
                    ("person_birth_year__gte", 1900),
                    _connector="OR",
                ),
                name="dvk_model_birth_year",
                violation_error_message="Please enter a year of birth after 1900.",
            ),
        ),
        migrations.AddConstraint(
            model_name="dvkmodel",
            constraint=models.UniqueConstraint(
                condition=models.Q(("predecessor__isnull", False)),
                fields=("predecessor", "campaign"),
                name="dvk_model_one_continuation_per_campaign",
                violation_error_message="This model has already been carried over into this campaign.",
            ),
        ),
    ]
