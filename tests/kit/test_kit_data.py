"""The kit's bench data (generate_kit_data) on generate_scale_data's resources: the pages
it prints answer, show what it made, make as many queries with 5 times the resources,
and a second run adds nothing."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kit.models import Parcours, Progress, Step, StepDone, Use, UseItem
from resources.management.commands.generate_scale_data import SLUG_PREFIX, goals_for
from resources.models import Resource
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def generate(resources: int, *extra) -> dict:
    call_command("generate_scale_data", resources=resources, verbosity=0, stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate_kit_data", *extra, stdout=out)
    return json.loads(out.getvalue().splitlines()[-1])


def page(client, path: str) -> str:
    html = client.get(path).content.decode()
    return html.replace("\u00a0", " ").replace("\u202f", " ").replace("&nbsp;", " ")


def rows() -> dict:
    models = [Use, UseItem, Parcours, Step, Progress, StepDone]
    return {model.__name__: model.objects.count() for model in models} | {
        "goals": Resource.objects.exclude(goals=[]).count()
    }


def queries(client, path: str) -> int:
    client.get(path)  # per-process caches warm, as in production
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def test_the_printed_pages_show_the_generated_kit(client):
    paths = generate(60)
    parcours = "/parcours/test-echelle-parcours-1/"
    assert paths == {
        "use_page": "/kit/se-former/",
        "parcours_page": parcours,
        "progress_page": f"{parcours}suivi/test-echelle-suivi-0000000000000001/",
        "goal_page": "/odd/17/",
    }
    use = page(client, paths["use_page"])
    assert use.count("Choisie pour la page « Se former »") >= 5
    assert "[Données de test] Parcours n° 1" in use
    parcours = page(client, paths["parcours_page"])
    assert parcours.count("Pourquoi l’étape") == 10
    assert "Étape libre 6" in parcours and 'href="/diagnostic/"' in parcours
    kinds = set(
        Step.objects.filter(parcours__slug="test-echelle-parcours-1").values_list("kind", flat=True)
    )
    assert kinds == {"ressource", "cas", "diagnostic", "texte"}
    progress = page(client, paths["progress_page"])
    assert re.search(r"4\s+étapes faites sur 10|4 sur 10", progress), progress[:200]
    goal = page(client, paths["goal_page"])
    with_17 = Resource.objects.published().filter(goals__contains=[17]).count()
    assert 15 <= with_17 <= 30  # about 38 % of 60
    assert f"{with_17} ressources ou cas pratiques rattachés" in goal


def test_a_second_run_adds_nothing(client):
    generate(60)
    before = rows()
    assert before["Use"] == 4 and before["Parcours"] == 4 and before["Step"] == 40
    assert before["StepDone"] == 4 and before["goals"] == 60
    generate(60)
    assert rows() == before


def test_the_pages_make_as_many_queries_with_five_times_the_resources(client):
    paths = generate(60)
    small = {name: queries(client, path) for name, path in paths.items()}
    generate(300)
    assert {name: queries(client, path) for name, path in paths.items()} == small
    assert Resource.objects.exclude(goals=[]).count() == 300


def test_it_never_mixes_with_real_content(client):
    ResourceFactory()
    with pytest.raises(CommandError, match="contenu réel"):
        call_command("generate_kit_data", stdout=io.StringIO())
    assert not Use.objects.exists() and not Parcours.objects.exists()


def test_without_generated_resources_it_says_what_to_run():
    with pytest.raises(CommandError, match="generate_scale_data"):
        call_command("generate_kit_data", stdout=io.StringIO())


def test_forced_beside_the_demo_content_it_keeps_the_demo_uses(client):
    call_command("load_demo", stdout=io.StringIO())
    demo = dict(Use.objects.values_list("usage", "summary"))
    call_command("generate_scale_data", resources=40, force=True, verbosity=0, stdout=io.StringIO())
    call_command("generate_kit_data", force=True, stdout=io.StringIO())
    assert dict(Use.objects.values_list("usage", "summary")) == demo  # reused, not doubled
    assert Parcours.objects.filter(start_here=True).count() == 1  # the demo's
    assert client.get("/kit/se-former/").status_code == 200
    call_command("load_demo", stdout=io.StringIO())  # loading the demo again still works


def test_rows_made_before_generate_scale_data_gave_goals_get_the_same_goals():
    generate(60)
    generated = Resource.objects.filter(slug__startswith=SLUG_PREFIX)
    given = dict(generated.values_list("slug", "goals"))
    assert given == {f"{SLUG_PREFIX}{n}": goals_for(n) for n in range(60)}
    generated.update(goals=[])  # as in a bench database made earlier
    call_command("generate_kit_data", stdout=io.StringIO())
    assert dict(generated.values_list("slug", "goals")) == given
