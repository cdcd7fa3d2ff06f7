"""The kit's permissions for the staff roles created by resources.0003_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    f"{action}_{model}"
    for action in ("add", "change", "view")
    for model in ("use", "useitem", "parcours", "step")
] + ["delete_useitem", "delete_step"]  # removing a line of a selection or a step


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    kit = Permission.objects.filter(content_type__app_label="kit")
    Group.objects.get(name="Administrateur").permissions.add(*kit)
    Group.objects.get(name="Éditeur").permissions.add(*kit.filter(codename__in=EDITOR_CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    kit = Permission.objects.filter(content_type__app_label="kit")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*kit)


class Migration(migrations.Migration):
    dependencies = [
        ("kit", "0001_kit_uses_and_parcours"),
        ("resources", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
