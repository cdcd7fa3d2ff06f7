import pytest
from django.core.management import CommandError, call_command

from resources.filters import ResourceFilterSet
from resources.models import Resource
from tests.resources.factories import ResourceFactory


def test_scale_data_is_labelled_and_has_a_frequent_term_in_a_third_of_rows(db):
    call_command("generate_scale_data", resources=60, verbosity=0)

    generated = Resource.objects.filter(slug__startswith="test-echelle-")
    assert generated.count() == 60
    assert all(
        title.startswith("[Données de test]") for title in generated.values_list("title", flat=True)
    )
    assert ResourceFilterSet({"q": "alliance"}).total == 20

    call_command("generate_scale_data", resources=60, verbosity=0)  # idempotent
    assert generated.count() == 60


def test_scale_data_never_mixes_with_real_content(db):
    ResourceFactory()

    with pytest.raises(CommandError, match="contenu réel"):
        call_command("generate_scale_data", resources=10, verbosity=0)
