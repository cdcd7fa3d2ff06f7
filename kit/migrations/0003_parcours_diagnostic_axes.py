import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kit", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="parcours",
            name="diagnostic_axes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=30),
                blank=True,
                default=list,
                help_text=(
                    "Codes d’axes séparés par des virgules (vision, ecosysteme, action, "
                    "moyens, evaluation) : le parcours est proposé dans les résultats "
                    "d’un diagnostic dont ces axes sont les plus faibles."
                ),
                verbose_name="axes du diagnostic",
            ),
        ),
    ]
