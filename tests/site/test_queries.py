"""CompiledLookup (rameau_site/queries.py) gives what the ORM's `.get()` gives."""

import pytest

from diagnostics.models import Answer, Response
from diagnostics.views import RESULTS_RESPONSES, STEP_RESPONSES
from rameau_site.queries import CompiledLookup
from resources.models import Resource
from tests.diagnostics.conftest import Taker


@pytest.fixture
def answered(client, db) -> Response:
    taker = Taker(client)
    taker.start()
    taker.profile()
    taker.answer_axis(0, lambda question: 2)
    taker.answer_axis(1, lambda question: 1)
    return taker.response


@pytest.mark.parametrize("queryset", [STEP_RESPONSES, RESULTS_RESPONSES])
def test_same_instance_as_the_orm(answered, queryset):
    assert Answer.objects.filter(response=answered).count() > 4
    expected = queryset.get(token=answered.token)
    found = CompiledLookup(queryset, "token").get(answered.token)
    assert type(found) is Response and found.pk == expected.pk
    assert found.get_deferred_fields() == expected.get_deferred_fields()
    for field in Response._meta.concrete_fields:
        if field.attname not in expected.get_deferred_fields():
            assert getattr(found, field.attname) == getattr(expected, field.attname), field
    assert found.answered_questions == expected.answered_questions
    assert found.answered_choices == expected.answered_choices
    assert found._state.adding is False and found._state.db == expected._state.db


def test_one_compilation_for_every_value(answered, django_assert_num_queries):
    lookup = CompiledLookup(STEP_RESPONSES, "token")
    with django_assert_num_queries(1):
        assert lookup.get(answered.token).pk == answered.pk
    sql = lookup._compiled[0]
    with django_assert_num_queries(3):
        assert lookup.get("inconnu") is None
        # The value is a parameter, never SQL.
        assert lookup.get("x' OR '1'='1") is None
        assert lookup.get(answered.token + "%") is None
    assert lookup._compiled[0] is sql


def test_refuses_what_raw_would_get_wrong(db):
    with pytest.raises(ValueError, match="unique"):
        CompiledLookup(Resource.objects.all(), "title")
    with pytest.raises(ValueError, match="select_related"):
        CompiledLookup(Response.objects.select_related("questionnaire"), "token")
    with pytest.raises(ValueError, match="select_related"):
        CompiledLookup(Resource.objects.prefetch_related("themes"), "slug")
