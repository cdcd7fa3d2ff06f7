"""A facet is one entry of resources/facets.py: the index's SQL, the form's field and
the counts all follow from it."""

import pytest
from django.db import models

from resources import facets, index
from resources.facets import FacetSpec, facets_of
from resources.filters import CaseFilterSet, ResourceFilterSet
from tests.resources.factories import ResourceFactory


class Featured(models.TextChoices):
    YES = "true", "Mise en avant"
    NO = "false", "Autres"


FEATURED = FacetSpec(
    "une", "À la une", ("SELECT 'une', p.featured::text, {ids} FROM p GROUP BY p.featured",),
    ("featured",), Featured, catalogue=11,
)  # fmt: skip


@pytest.fixture
def with_featured_facet(monkeypatch):
    monkeypatch.setattr(facets, "FACETS", [*facets.FACETS, FEATURED])
    monkeypatch.setattr(index, "FACETS", facets.FACETS)
    monkeypatch.setattr(ResourceFilterSet, "FACET_SPECS", facets.facets_of("catalogue"))


@pytest.mark.django_db
def test_a_new_entry_is_a_working_facet(with_featured_facet):
    for n in range(3):
        ResourceFactory(title=f"Une {n}", featured=True)
    ResourceFactory(title="Autre")

    filterset = ResourceFilterSet({"une": ["true"]})
    assert filterset.total == 3
    facet = next(f for f in filterset.facets if f.param == "une")
    assert facet.label == "À la une"
    assert {v.value: v.count for v in facet.values} == {"true": 3, "false": 1}
    assert ResourceFilterSet({"une": ["peut-etre"]}).form.errors  # only declared values


def test_each_page_lists_its_facets_in_order():
    assert [s.param for s in facets_of("catalogue")] == [
        "type", "theme", "public", "usage", "niveau", "region", "forme", "mode", "odd", "annee",
        "tag",
    ]  # fmt: skip
    assert [s.param for s in facets_of("cases")] == [
        "region", "taille", "forme", "impact", "theme", "odd", "annee", "tag",
    ]  # fmt: skip
    assert [s.param for s in CaseFilterSet.FACET_SPECS] == [s.param for s in facets_of("cases")]
