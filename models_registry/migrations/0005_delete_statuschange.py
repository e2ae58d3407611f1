from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("models_registry", "0004_status_changes_to_activity_log"),
    ]

    operations = [
        migrations.DeleteModel(name="StatusChange"),
    ]
