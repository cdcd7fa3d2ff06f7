"""The results name up to three published catalysts covering or neighbouring the
respondent's commune: those naming it, then its département's, then its région's."""

import pytest

from territories.models import Commune
from tests.diagnostics.conftest import Taker
from tests.network.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_the_results_show_the_three_closest_published_catalysts(client):
    charenton = Commune.objects.get(code="94018")
    ProfileFactory(name="Zèbre région", region_codes=["11"], departement_codes=["75"])
    ProfileFactory(name="Alpha région", region_codes=["11"], departement_codes=["92"])
    ProfileFactory(name="Yak département", region_codes=["11"], departement_codes=["94"])
    nearest = ProfileFactory(name="Xénon commune", region_codes=["11"], departement_codes=["94"])
    nearest.communes.add(charenton)
    ProfileFactory(name="Lyon", region_codes=["84"], departement_codes=["69"])
    ProfileFactory(confirmed=True, name="À modérer", region_codes=["11"])
    taker = Taker(client)
    taker.complete()
    page = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    section = page[page.index("Des catalyseurs près de chez vous") :]
    section = section[: section.index("</ul>")]
    names = [
        name for name in ("Xénon commune", "Yak département", "Alpha région") if name in section
    ]
    assert names == ["Xénon commune", "Yak département", "Alpha région"]
    assert section.index("Xénon") < section.index("Yak") < section.index("Alpha")
    assert "sur votre commune" in section and "dans votre région" in section
    for absent in ("Zèbre", "Lyon", "À modérer", "@example.org"):
        assert absent not in section


def test_no_catalyst_section_without_a_nearby_profile(client):
    ProfileFactory(name="Lyon", region_codes=["84"])
    taker = Taker(client)
    taker.complete()
    page = client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert "Des catalyseurs près de chez vous" not in page
    assert "Voir l’annuaire des catalyseurs" in page


def test_the_organiser_page_shows_the_catalysts_near_its_territory(client):
    from diagnostics.models import Campaign
    from tests.diagnostics.test_campaign import create

    assert create(client).status_code == 303  # Vincennes (94)
    campaign = Campaign.objects.select_related("commune").get()
    commune = campaign.commune
    near = ProfileFactory(
        name="Fiche voisine", region_codes=[commune.region_id], departement_codes=["xx"]
    )
    page = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/").content.decode()
    assert "Des catalyseurs près de votre territoire" in page
    assert near.name in page and "dans votre région" in page
