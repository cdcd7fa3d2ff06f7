"""The demonstration shared diagnostic that `make run` creates."""

import re
from io import StringIO

from django.core.management import call_command

from diagnostics.models import Campaign, Response
from diagnostics.statistics import territory_statistics


def run() -> str:
    out = StringIO()
    call_command("demo_campaign", stdout=out)
    return out.getvalue()


def test_the_demo_campaign_is_made_once_labelled_and_shows_its_synthesis(client, db):
    first, second = run(), run()
    url = re.search(r"/diagnostic/collectif/[\w-]+/", first).group()
    assert url in second  # found again, not made twice
    [campaign] = Campaign.objects.filter(is_demo=True)
    participants = Response.objects.filter(campaign=campaign)
    assert participants.count() == 24
    assert participants.filter(completed_at__isnull=False, is_demo=True).count() == 24
    assert len({token[:27] for token in participants.values_list("token", flat=True)}) == 1

    page = client.get(url).content.decode()
    assert "Données de démonstration" in page
    assert "La synthèse du groupe" in page
    synthesis = client.get(url + "synthese.json").json()
    assert synthesis["participants"] == 24
    assert set(synthesis["par_type"].values()) == {3}


def test_the_demo_campaigns_participants_stay_out_of_the_observatory(db):
    run()
    statistics = territory_statistics()
    assert statistics["total"] == 0
    assert statistics["collective_total"] == 0


def test_the_benchmarks_generator_still_fills_its_large_campaign(db):
    call_command("generate_campaign_data", participants=6, campaigns=2, stdout=StringIO())
    call_command("generate_campaign_data", participants=8, campaigns=2, stdout=StringIO())
    large = Campaign.objects.get(organiser_token="test-collectif-grand-organisateur")
    assert large.participants.filter(completed_at__isnull=False).count() == 8
    assert large.synthesis["participants"] == 8
    assert Campaign.objects.filter(organiser_token__startswith="test-collectif-vide-").count() == 2


def test_the_demo_campaigns_roadmap_says_it_is_demonstration(client, db):
    url = re.search(r"/diagnostic/collectif/[\w-]+/", run()).group()
    page = client.get(url + "feuille-de-route/").content.decode()
    assert "La cible" in page
    assert "Données de démonstration" in page
