"""Copy every StatusChange into danvan's ActivityLog (the one activity log), so that the
model timeline keeps its history when StatusChange is removed (0005)."""

from django.db import migrations

# (from_status, to_status) -> verb of "models_registry.dvkmodel.<verb>"
VERBS = {
    ("", "draft"): "create",
    ("draft", "submitted"): "submit",
    ("returned", "submitted"): "submit",
    ("submitted", "draft"): "withdraw",
    ("submitted", "accepted"): "accept",
    ("submitted", "returned"): "return",
}


def _dvk_model_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="models_registry", model="dvkmodel"
    )
    return content_type


def forwards(apps, schema_editor):
    StatusChange = apps.get_model("models_registry", "StatusChange")
    ActivityLog = apps.get_model("danvan", "ActivityLog")
    content_type = _dvk_model_type(apps)
    rows = []
    for change in StatusChange.objects.select_related("dvk_model").order_by("at", "pk").iterator():
        verb = VERBS.get((change.from_status, change.to_status), "submit")
        data = {"from": change.from_status, "to": change.to_status}
        if change.reason:
            data["reason"] = change.reason
        if change.note and change.note != "created":
            data["note"] = change.note
        rows.append(
            ActivityLog(
                timestamp=change.at,
                actor_id=change.by_id,
                content_type=content_type,
                object_id=change.dvk_model_id,
                action=f"models_registry.dvkmodel.{verb}",
                data=data,
                unit_id=change.dvk_model.unit_id,
            )
        )
    ActivityLog.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    StatusChange = apps.get_model("models_registry", "StatusChange")
    ActivityLog = apps.get_model("danvan", "ActivityLog")
    content_type = _dvk_model_type(apps)
    verbs = {f"models_registry.dvkmodel.{verb}" for verb in VERBS.values()}
    logged = ActivityLog.objects.filter(content_type=content_type, action__in=verbs)
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                dvk_model_id=row.object_id,
                from_status=row.data.get("from", ""),
                to_status=row.data.get("to", ""),
                by_id=row.actor_id,
                at=row.timestamp,
                reason=row.data.get("reason", ""),
                note="created" if row.action.endswith(".create") else "",
            )
            for row in logged.exclude(actor=None).order_by("timestamp", "pk").iterator()
        ],
        batch_size=1000,
    )
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("danvan", "0003_activity_log"),
        ("models_registry", "0003_alter_field_position_alter_indicator_position_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
