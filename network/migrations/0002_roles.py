"""The agenda's permissions for the staff roles created by resources.0003_roles: editors
add, change, view and delete events; administrators too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    network = Permission.objects.filter(content_type__app_label="network")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.add(*network)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    network = Permission.objects.filter(content_type__app_label="network")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*network)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_agenda_events"),
        ("resources", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
