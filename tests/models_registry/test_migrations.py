"""Issue 7: the model timeline's history moves from StatusChange to danvan's ActivityLog
(models_registry 0004), and StatusChange goes (0005)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("models_registry", "0003_alter_field_position_alter_indicator_position_and_more"),
    ("danvan", "0003_activity_log"),
]
AFTER = [("models_registry", "0005_delete_statuschange")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_status_changes_copied_into_activity_log_with_who_when_and_why():
    try:
        apps = migrate(BEFORE)
        Unit = apps.get_model("danvan", "Unit")
        User = apps.get_model("danvan", "User")
        Campaign = apps.get_model("models_registry", "Campaign")
        DvkModel = apps.get_model("models_registry", "DvkModel")
        StatusChange = apps.get_model("models_registry", "StatusChange")
        province = Unit.objects.create(name="Tỉnh", kind="province", code="P1")
        commune = Unit.objects.create(name="Xã", kind="commune", code="C1", parent=province)
        officer = User.objects.create(username="canbo", unit=commune)
        secretariat = User.objects.create(username="thuongtruc", unit=province)
        day = datetime.date(2026, 3, 1)
        campaign = Campaign.objects.create(
            year=2026,
            title="2026",
            organiser=province,
            registration_opens=day,
            registration_closes=day,
            result_report_due=day,
            scoring_opens=day,
            scoring_closes=day,
        )
        dvk_model = DvkModel.objects.create(
            campaign=campaign, unit=commune, name="Mô hình", created_by=officer
        )
        at = timezone.now() - datetime.timedelta(days=3)
        for minutes, source, target, by, reason in [
            (0, "", "draft", officer, ""),
            (1, "draft", "submitted", officer, ""),
            (2, "submitted", "returned", secretariat, "Bổ sung số liệu."),
        ]:
            change = StatusChange.objects.create(
                dvk_model=dvk_model,
                from_status=source,
                to_status=target,
                by=by,
                reason=reason,
                note="created" if not source else "",
            )
            StatusChange.objects.filter(pk=change.pk).update(
                at=at + datetime.timedelta(minutes=minutes)
            )

        apps = migrate(AFTER)

        ActivityLog = apps.get_model("danvan", "ActivityLog")
        rows = ActivityLog.objects.order_by("timestamp")
        assert [
            (r.action, r.actor_id, r.object_id, r.unit_id, r.data, r.timestamp) for r in rows
        ] == [
            (
                "models_registry.dvkmodel.create",
                officer.pk,
                dvk_model.pk,
                commune.pk,
                {"from": "", "to": "draft"},
                at,
            ),
            (
                "models_registry.dvkmodel.submit",
                officer.pk,
                dvk_model.pk,
                commune.pk,
                {"from": "draft", "to": "submitted"},
                at + datetime.timedelta(minutes=1),
            ),
            (
                "models_registry.dvkmodel.return",
                secretariat.pk,
                dvk_model.pk,
                commune.pk,
                {"from": "submitted", "to": "returned", "reason": "Bổ sung số liệu."},
                at + datetime.timedelta(minutes=2),
            ),
        ]
        assert "models_registry_statuschange" not in connection.introspection.table_names()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
