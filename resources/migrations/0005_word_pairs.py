"""The pairs of adjacent words of each resource, indexed for phrase searches.

`resources_word_pairs(phrase_vector)` gives a tsvector of "first second" lexemes, one
per two words that follow each other in the resource's whole text (positions p and
p + 1 of phrase_vector): a resource matches the phrase query 'a' <-> 'b' exactly when
it holds the pair "a b". Nothing is stored in the rows; the GIN index on the
expression answers which resources hold a pair (resources/index.py, check_phrases)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

WORD_PAIRS = """
CREATE OR REPLACE FUNCTION resources_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(
    array_to_tsvector(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme)),
    ''::tsvector
  )
  FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS first
  JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS second
    ON second.position = first.position + 1
$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0004_add_phrase_vector"),
    ]

    operations = [
        migrations.RunSQL(WORD_PAIRS, "DROP FUNCTION resources_word_pairs(tsvector)"),
        migrations.AddIndex(
            model_name="resource",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    "phrase_vector",
                    function="resources_word_pairs",
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                name="resource_word_pairs",
            ),
        ),
    ]
