from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0007_registration_waiting_list")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="registration_closes_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Heure de Paris ; vide : jusqu’à la fin de l’événement.",
                null=True,
                verbose_name="fin des inscriptions",
            ),
        ),
    ]
