"""The glossary's permissions for the staff roles created by 0003_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = ["add_glossaryterm", "change_glossaryterm", "view_glossaryterm"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    glossary = Permission.objects.filter(
        content_type__app_label="resources", content_type__model="glossaryterm"
    )
    Group.objects.get(name="Administrateur").permissions.add(*glossary)
    Group.objects.get(name="Éditeur").permissions.add(
        *glossary.filter(codename__in=EDITOR_CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    glossary = Permission.objects.filter(
        content_type__app_label="resources", content_type__model="glossaryterm"
    )
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*glossary)


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_glossary_term")]

    operations = [migrations.RunPython(grant, revoke)]
