"""Editors and administrators keep the action catalogue; administrators may view the
roadmaps in the admin (read only there)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUE = ["view_action", "add_action", "change_action", "delete_action"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    diagnostics = Permission.objects.filter(content_type__app_label="diagnostics")
    Group.objects.get(name="Éditeur").permissions.add(*diagnostics.filter(codename__in=CATALOGUE))
    Group.objects.get(name="Administrateur").permissions.add(
        *diagnostics.filter(codename__in=[*CATALOGUE, "view_roadmap"])
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    diagnostics = Permission.objects.filter(
        content_type__app_label="diagnostics", codename__in=[*CATALOGUE, "view_roadmap"]
    )
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*diagnostics)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0009_roadmaps")]

    operations = [migrations.RunPython(grant, revoke)]
