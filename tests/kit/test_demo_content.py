from urllib.parse import urlsplit

from django.core.management import call_command

from kit.enums import StepKind
from kit.models import Parcours, Step, Use, UseItem
from resources.enums import Usage
from resources.models import Resource
from tests.resources.test_demo_content import SOURCED_HOSTS


def test_the_demo_kit_loads_with_the_library_and_holds_to_its_sources(client, db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent

    assert sorted(Use.objects.values_list("usage", flat=True)) == sorted(Usage.values)
    published = set(Resource.objects.published().values_list("pk", flat=True))
    assert set(UseItem.objects.values_list("resource_id", flat=True)) <= published
    start = Parcours.objects.published().get(start_here=True)
    kinds = list(start.steps.values_list("kind", flat=True))
    assert StepKind.DIAGNOSTIC in kinds  # the learning-by-doing path goes through it
    mooc = Parcours.objects.published().get(slug="mooc-les-alliances-qui-changent-les-territoires")
    assert list(mooc.steps.values_list("duration_minutes", flat=True)) == [120] * 4  # 4 × 2 h
    for url in [*Parcours.objects.values_list("external_url", flat=True),
                *Step.objects.values_list("link_url", flat=True)]:  # fmt: skip
        assert not url or urlsplit(url).hostname in SOURCED_HOSTS, url
    for path in ["/", "/kit/", "/parcours/", start.get_absolute_url(), mooc.get_absolute_url()]:
        assert client.get(path).status_code == 200, path
    for usage in Usage.values:
        assert client.get(f"/kit/{usage}/").status_code == 200
