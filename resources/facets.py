"""The catalogue's facets, declared once. Each entry drives the three places a facet
lives: the library index's SQL (which published resources have each value), the
FilterSet's form field (which values the query string may carry) and the counts shown
beside the results. Adding a facet is adding an entry here.

In the SQL, `p` is the published resources with their id and the facets' `columns`,
and `{ids}` aggregates their ids; each SELECT gives (index key, value, ids)."""

from dataclasses import dataclass

from resources.enums import Audience, Form, Impact, Kind, Level, PartnershipMode, Usage
from resources.goals import GoalValue
from territories.enums import SizeBand


@dataclass(frozen=True)
class FacetSpec:
    param: str  # in the query string, and the index key
    label: str
    sql: tuple[str, ...]
    columns: tuple[str, ...] = ()  # of the resources table, that the SQL reads from p
    choices: type | None = None  # fixed values (TextChoices); None: read from the data
    values: str = "choices"  # where the values come from: choices, regions, themes, years, tags
    # Where the facet stands in the resource catalogue and in the case base (None: absent).
    catalogue: int | None = None
    cases: int | None = None


def facets_of(page: str) -> list[FacetSpec]:
    """The facets of the "catalogue" or of the "cases" page, in their order there."""
    shown = [spec for spec in FACETS if getattr(spec, page) is not None]
    return sorted(shown, key=lambda spec: getattr(spec, page))


def array_facet(param: str, label: str, column: str, choices, **options) -> FacetSpec:
    """A facet over a PostgreSQL array of fixed choices."""
    sql = f"SELECT '{param}', v, {{ids}} FROM p, unnest(p.{column}) v GROUP BY v"
    return FacetSpec(param, label, (sql,), (column,), choices, **options)


# The case fields that, when filled, give a case the impact facet's value.
IMPACT_FIELDS = {
    Impact.PERFORMANCE: "impact_performance",
    Impact.INNOVATION: "impact_innovation",
    Impact.TRUST: "impact_trust",
}

FACETS = [
    FacetSpec(
        "type",
        "Type",
        ("SELECT 'type', p.kind, {ids} FROM p GROUP BY p.kind",),
        ("kind",),
        Kind,
        catalogue=1,
    ),
    FacetSpec(
        "region",
        "Région",
        (
            "SELECT 'region', p.region_id, {ids} FROM p WHERE p.region_id IS NOT NULL "
            "GROUP BY p.region_id",
        ),
        ("region_id",),
        values="regions",
        catalogue=6,
        cases=1,
    ),
    FacetSpec(
        "taille",
        "Taille de commune",
        (
            "SELECT 'taille', p.size_band, {ids} FROM p WHERE p.size_band <> '' "
            "GROUP BY p.size_band",
        ),
        ("size_band",),
        SizeBand,
        cases=2,
    ),
    FacetSpec(
        "theme",
        "Thème",
        (
            # A theme's slug selects its own resources and its sub-themes' ("theme");
            # a sub-theme counts only its own ("theme-direct").
            "SELECT 'theme-direct', t.slug, {ids} FROM p "
            "JOIN {theme_links} rt ON rt.resource_id = p.id "
            "JOIN {themes} t ON t.id = rt.theme_id GROUP BY t.slug",
            "SELECT 'theme', s.slug, {ids} FROM p "
            "JOIN {theme_links} rt ON rt.resource_id = p.id "
            "JOIN {themes} t ON t.id = rt.theme_id "
            "LEFT JOIN {themes} parent ON parent.id = t.parent_id, "
            "LATERAL (VALUES (t.slug), (parent.slug)) s(slug) WHERE s.slug IS NOT NULL "
            "GROUP BY s.slug",
        ),
        values="themes",
        catalogue=2,
        cases=5,
    ),
    array_facet("public", "Public", "audiences", Audience, catalogue=3),
    array_facet("usage", "Usage", "usages", Usage, catalogue=4),
    array_facet("niveau", "Niveau de maturité", "levels", Level, catalogue=5),
    array_facet("forme", "Forme de co-construction", "forms", Form, catalogue=7, cases=3),
    array_facet("mode", "Mode de partenariat", "modes", PartnershipMode, catalogue=8),
    FacetSpec(
        "impact",
        "Impact",
        tuple(
            f"SELECT 'impact', '{value}', {{ids}} FROM p WHERE p.{column} <> ''"
            for value, column in IMPACT_FIELDS.items()
        ),
        tuple(IMPACT_FIELDS.values()),
        Impact,
        cases=4,
    ),
    FacetSpec(
        "annee",
        "Année",
        ("SELECT 'annee', p.year::text, {ids} FROM p WHERE p.year IS NOT NULL GROUP BY p.year",),
        ("year",),
        values="years",
        catalogue=10,
        cases=7,
    ),
    FacetSpec(
        "tag",
        "Mot-clé",
        (
            "SELECT 'tag', tag.slug, {ids} FROM p "
            "JOIN {taggings} tr ON tr.content_object_id = p.id "
            "JOIN {tags} tag ON tag.id = tr.tag_id GROUP BY tag.slug",
        ),
        values="tags",
        catalogue=11,
        cases=8,
    ),
    FacetSpec(
        "odd",
        "Objectif de développement durable",
        # The goals are numbers: their text is the index key and the query string's value.
        ("SELECT 'odd', v::text, {ids} FROM p, unnest(p.goals) v GROUP BY v",),
        ("goals",),
        GoalValue,
        catalogue=9,
        cases=6,
    ),
]
