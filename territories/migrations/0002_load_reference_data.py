from django.db import migrations


def load_reference_data(apps, schema_editor):
    from territories import reference_data

    reference_data.load(
        apps.get_model("territories", "Region"),
        apps.get_model("territories", "Departement"),
        apps.get_model("territories", "Commune"),
    )


def unload_reference_data(apps, schema_editor):
    apps.get_model("territories", "Commune").objects.all().delete()
    apps.get_model("territories", "Departement").objects.all().delete()
    apps.get_model("territories", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, unload_reference_data)]
