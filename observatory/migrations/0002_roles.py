"""The observatory's permissions for the staff roles created by resources.0003_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    f"{action}_{model}"
    for action in ("add", "change", "view")
    for model in ("source", "indicator", "observation")
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    observatory = Permission.objects.filter(content_type__app_label="observatory")
    Group.objects.get(name="Administrateur").permissions.add(*observatory)
    Group.objects.get(name="Éditeur").permissions.add(
        *observatory.filter(codename__in=EDITOR_CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    observatory = Permission.objects.filter(content_type__app_label="observatory")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*observatory)


class Migration(migrations.Migration):
    dependencies = [
        ("observatory", "0001_indicators"),
        ("resources", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
