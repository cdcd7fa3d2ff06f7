from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0006_profile_roles")]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="online_url",
            field=models.URLField(
                blank=True,
                help_text="Jamais sur la page publique : donné aux personnes dont l’inscription"
                " sur le site est confirmée (e-mail de confirmation, rappel, page de leur"
                " inscription).",
                max_length=500,
                verbose_name="lien de connexion",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="status",
            field=models.CharField(
                choices=[
                    ("a-confirmer", "À confirmer"),
                    ("confirmee", "Confirmée"),
                    ("liste-d-attente", "Sur liste d’attente"),
                ],
                default="a-confirmer",
                max_length=20,
                verbose_name="statut",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="waiting_since",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="sur liste d’attente depuis"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="rappel envoyé le"),
        ),
        migrations.AddField(
            model_name="registration",
            name="site_url",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="site"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["starts_at", "id"], name="event_starts"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "liste-d-attente"), _negated=True)
                | models.Q(("waiting_since__isnull", False)),
                name="registration_waiting_has_rank",
            ),
        ),
    ]
