"""Administrators may view the shared diagnostics in the admin (read only there)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="diagnostics", codename="view_campaign"
    )
    Group.objects.get(name="Administrateur").permissions.add(*view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="diagnostics", codename="view_campaign"
    )
    Group.objects.get(name="Administrateur").permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0006_campaigns")]

    operations = [migrations.RunPython(grant, revoke)]
