"""The two staff roles. No account is created: `make superuser` makes the first
administrator, who then gives accounts a role in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Éditeur"
ADMINISTRATOR = "Administrateur"

# Create and edit resources, cases and tags, submit them for review; read what they
# need to fill a resource in. No publish, no delete, no accounts.
EDITOR_PERMISSIONS = [
    ("resources", "add_resource"),
    ("resources", "change_resource"),
    ("resources", "view_resource"),
    ("resources", "view_historicalresource"),
    ("resources", "view_statuschange"),
    ("resources", "add_tag"),
    ("resources", "change_tag"),
    ("resources", "view_tag"),
    ("resources", "view_theme"),
    ("resources", "add_organisation"),
    ("resources", "change_organisation"),
    ("resources", "view_organisation"),
    ("territories", "view_commune"),
]
# Everything on the library and its taxonomy, accounts, and the login lockouts.
ADMINISTRATOR_APPS = ["resources"]
ADMINISTRATOR_EXTRA = [
    ("territories", "view_commune"),
    ("territories", "view_departement"),
    ("territories", "view_region"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "delete_user"),
    ("auth", "view_user"),
    ("auth", "add_group"),
    ("auth", "change_group"),
    ("auth", "delete_group"),
    ("auth", "view_group"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
    ("axes", "view_accesslog"),
]


def permissions(Permission, pairs):
    found = []
    for app_label, codename in pairs:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            raise LookupError(f"Permission {app_label}.{codename} introuvable")
        found.append(permission)
    return found


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(permissions(Permission, EDITOR_PERMISSIONS))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(
        list(Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
        + permissions(Permission, ADMINISTRATOR_EXTRA)
    )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("territories", "0002_load_reference_data"),
        ("resources", "0002_workflow_history_links"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
