"""The diagnostic's permissions for the staff roles created by resources.0003_roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    "view_questionnaire", "view_axis", "view_question", "view_choice",
    "view_recommendation", "add_recommendation", "change_recommendation",
]  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    diagnostics = Permission.objects.filter(content_type__app_label="diagnostics")
    Group.objects.get(name="Administrateur").permissions.add(*diagnostics)
    Group.objects.get(name="Éditeur").permissions.add(
        *diagnostics.filter(codename__in=EDITOR_CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    diagnostics = Permission.objects.filter(content_type__app_label="diagnostics")
    for group in Group.objects.filter(name__in=["Administrateur", "Éditeur"]):
        group.permissions.remove(*diagnostics)


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_questionnaire_v1"),
        ("resources", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
