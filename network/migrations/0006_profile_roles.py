"""The directory's profiles: editors and administrators moderate them (their address
is never shown in the admin); relay records are for administrators only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PROFILE = [f"{action}_profile" for action in ("add", "change", "delete", "view")]
RELAY = [f"{action}_relaymessage" for action in ("add", "change", "delete", "view")]


def permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="network", codename__in=codenames)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.add(*permissions(apps, PROFILE))
    Group.objects.get(name="Administrateur").permissions.add(*permissions(apps, RELAY))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*permissions(apps, PROFILE + RELAY))


class Migration(migrations.Migration):
    dependencies = [("network", "0005_directory_profiles")]

    operations = [migrations.RunPython(grant, revoke)]
