"""generate_network_data: published test profiles in bulk, idempotent, and the JSON
line naming the list page the benchmark measures."""

import json
from io import StringIO

from django.core.management import call_command

from network.models import Profile


def run(count: int) -> list[str]:
    out = StringIO()
    call_command("generate_network_data", profiles=count, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_creates_published_profiles_once_and_prints_the_page_to_measure(client, db):
    lines = run(40)
    paths = json.loads(lines[-1])
    assert paths["directory"] == "/reseau/"
    assert Profile.objects.published().filter(slug__startswith="test-fiche-").count() == 40
    assert run(40)[0] == "0 fiches créées." and Profile.objects.count() == 40
    run(50)
    assert Profile.objects.count() == 50
    profile = Profile.objects.get(slug="test-fiche-00007")
    commune = profile.communes.get()
    assert profile.region_codes == [commune.region_id]
    assert profile.departement_codes == [commune.departement_id]
    for path in paths.values():
        page = client.get(path)
        assert page.status_code == 200 and "@example.invalid" not in page.content.decode()
    assert "50 fiches" in client.get(paths["directory"]).content.decode()
