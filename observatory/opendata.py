"""Open data: the observations as a streamed CSV, its Frictionless Data Package, and
the JSON of the API."""

import csv

from observatory.enums import BREAKDOWN_LABELS, POPULATION_LABELS, Unit
from observatory.filters import ObservationFilterSet
from observatory.models import Indicator, Observation, Source
from territories.models import region_names

COLUMNS = [
    ("indicateur", "string", "Identifiant de l’indicateur"),
    ("titre", "string", "Ce que mesure l’indicateur"),
    ("unite", "string", "Unité : pourcent, note-10 ou nombre"),
    ("vague", "integer", "Année de la vague d’enquête (vide si la source ne la précise pas)"),
    ("vague_libelle", "string", "Nom de la vague"),
    ("geographie_code", "string", "Code INSEE de la région, FR pour la France entière"),
    ("geographie", "string", "Nom de la région ou France entière"),
    ("population", "string", "Population interrogée"),
    ("ventilation", "string", "Dimension de ventilation (vide : ensemble)"),
    ("modalite", "string", "Modalité de la ventilation"),
    ("valeur", "number", "Valeur observée, dans l’unité de l’indicateur"),
    ("n", "integer", "Effectif interrogé, quand la source le donne"),
    ("source", "string", "Source de la donnée"),
    ("donnees_de_demonstration", "boolean", "Vrai : valeur inventée pour la démonstration"),
]


class Echo:
    def write(self, value):
        return value


CSV_BATCH = 1000  # rows per chunk sent
# French Excel opens a CSV on double-click as UTF-8 only after a byte order mark, and
# splits its columns on semicolons (the French list separator); the Data Package
# declares both, so other tools read it as well.
CSV_DELIMITER = ";"


def csv_rows(queryset):
    """Yield the CSV in chunks of rows: memory stays constant whatever the number of
    rows (plain values, no model instances; indicators and sources looked up once)."""
    writer = csv.writer(Echo(), delimiter=CSV_DELIMITER)
    regions = region_names()
    indicators = dict(
        (pk, (slug, title)) for pk, slug, title in
        Indicator.objects.values_list("pk", "slug", "title")
    )  # fmt: skip
    sources = {source.pk: str(source) for source in Source.objects.all()}
    yield "\ufeff" + writer.writerow([name for name, _, _ in COLUMNS])
    rows = (
        queryset.order_by("indicator__slug", "wave", "population", "breakdown",
                          "breakdown_value", "region_id", "pk")
        .values_list("indicator_id", "unit", "wave", "wave_label", "region_id", "population",
                     "breakdown", "breakdown_value", "value", "n", "source_id", "is_demo")
    )  # fmt: skip
    batch = []
    for (indicator, unit, wave, wave_label, region, population, breakdown, breakdown_value,
         value, n, source, is_demo) in rows.iterator(chunk_size=5000):  # fmt: skip
        slug, title = indicators[indicator]
        batch.append(writer.writerow([
            slug, title, unit, "" if wave is None else wave, wave_label, region or "FR",
            regions.get(region, "France entière"), POPULATION_LABELS.get(population, population),
            BREAKDOWN_LABELS.get(breakdown, "") if breakdown else "", breakdown_value,
            format(value.normalize(), "f"), "" if n is None else n, sources[source],
            "true" if is_demo else "false",
        ]))  # fmt: skip
        if len(batch) == CSV_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def datapackage(csv_url: str) -> dict:
    return {
        "name": "observatoire-des-partenariats",
        "title": "Observatoire des partenariats : indicateurs et observations",
        "description": "Chiffres publiés sur les partenariats et la co-construction "
        "territoriale en France, chacun avec sa source. Les lignes marquées "
        "donnees_de_demonstration = true sont inventées pour la démonstration.",
        "licenses": [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte / Open Licence 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        ],
        "resources": [
            {
                "name": "observations",
                "path": csv_url,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": CSV_DELIMITER},
                "schema": {
                    "fields": [
                        {"name": name, "type": kind, "description": description}
                        | ({"constraints": {"enum": Unit.values}} if name == "unite" else {})
                        for name, kind, description in COLUMNS
                    ],
                },
            }
        ],
    }


def observation_json(observation: Observation) -> dict:
    return {
        "indicateur": observation.indicator.slug,
        "titre": observation.indicator.title,
        "unite": observation.unit,
        "vague": observation.wave,
        "vague_libelle": observation.wave_label,
        "geographie_code": observation.region_id or "FR",
        "population": observation.population,
        "ventilation": observation.breakdown,
        "modalite": observation.breakdown_value,
        "valeur": float(observation.value),
        "n": observation.n,
        "source": str(observation.source),
        "donnees_de_demonstration": observation.is_demo,
    }


def filter_values() -> dict[str, list[str]]:
    """The values each filter of the observations API accepts (others get a 400)."""
    filters = ObservationFilterSet().filters
    indicators = filters["indicateur"].field.queryset.order_by("slug")
    return {
        "indicateur": list(indicators.values_list("slug", flat=True)),
        "population": [str(value) for value, _ in filters["population"].field.choices],
        "region": [str(value) for value, _ in filters["region"].field.choices],
    }


def openapi_paths() -> dict:
    return {
        "/api/observatoire/observations/": {
            "get": {
                "summary": "Observations de l’observatoire, filtrées comme sur le tableau de bord",
                "parameters": [
                    {"name": name, "in": "query", "required": False,
                     "schema": {"type": "array", "items": {"type": "string", "enum": values}},
                     "style": "form", "explode": True}
                    for name, values in filter_values().items()
                ] + [{"name": "page", "in": "query", "required": False,
                      "schema": {"type": "integer", "minimum": 1}}],
                "responses": {
                    "200": {"description": "Une page de 100 observations au plus",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"description": "Paramètre invalide (nommé dans « erreurs »)",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Erreur"}}}},
                    "404": {"description": "Page au-delà de la dernière",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Erreur"}}}},
                },
            }
        }
    }  # fmt: skip
