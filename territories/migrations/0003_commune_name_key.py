"""The key the commune search compares (territories.models.communes_matching): the
name, lower case, without accents, hyphens as spaces, as an IMMUTABLE function (unaccent
itself is only STABLE) so that an index can hold it. Without it, each search computed
the key of the 34,875 communes: 27 ms a search at 100k of everything (one per profile
step of the diagnostic, each typed name in the directory's form); with it, under 1 ms."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION territories_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT replace(public.unaccent('public.unaccent'::regdictionary, lower(name)), '-', ' ') $$
"""


class Migration(migrations.Migration):
    dependencies = [("territories", "0002_load_reference_data")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS territories_name_key(text)"),
        migrations.RunSQL(
            "CREATE INDEX commune_name_key ON territories_commune "
            "(territories_name_key(name) text_pattern_ops)",
            "DROP INDEX IF EXISTS commune_name_key",
        ),
    ]
