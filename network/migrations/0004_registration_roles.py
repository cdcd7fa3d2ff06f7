"""Registrations hold personal data: only administrators see and manage them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_registration" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    registration = Permission.objects.filter(
        content_type__app_label="network", codename__in=CODENAMES
    )
    Group.objects.get(name="Administrateur").permissions.add(*registration)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    registration = Permission.objects.filter(
        content_type__app_label="network", codename__in=CODENAMES
    )
    Group.objects.get(name="Administrateur").permissions.remove(*registration)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_registrations")]

    operations = [migrations.RunPython(grant, revoke)]
