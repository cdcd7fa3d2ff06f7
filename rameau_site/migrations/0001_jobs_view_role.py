"""The administrators (the "Administrateur" role of resources' 0003_roles) see the task
queue's jobs, workers and events in the admin: an e-mail that failed for good shows
there, read-only (procrastinate's models are)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_procrastinatejob", "view_procrastinateevent", "view_procrastinateworker"]


def jobs_permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="procrastinate", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.get(name="Administrateur")
    group.permissions.add(*jobs_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.get(name="Administrateur")
    group.permissions.remove(*jobs_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_roles"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
