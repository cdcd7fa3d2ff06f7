"""The shared diagnostic through its pages: creation, joining, the organiser's page,
closing, reopening and deletion."""

import re

import pytest
from django.core import mail

from diagnostics.models import Answer, AxisResult, Campaign, ErasedLink, Response
from tests.diagnostics.conftest import Taker

pytestmark = pytest.mark.django_db


def create(client, name="Conseil de développement", query="Vincennes", **extra):
    data = {"name": name, "commune_query": query, "closes_on": "", "cle": "k" * 32} | extra
    return client.post("/diagnostic/collectif/", data)


@pytest.fixture
def campaign(client):
    response = create(client)
    assert response.status_code == 303, response.content.decode()[:2000]
    return Campaign.objects.get()


class Participant(Taker):
    """Joins a campaign through its invitation, then takes the diagnostic."""

    def __init__(self, client, campaign):
        super().__init__(client)
        self.campaign = campaign

    def start(self, actor_type="elu"):
        response = self.client.post(
            f"/diagnostic/collectif/rejoindre/{self.campaign.invitation_token}/",
            {"actor_type": actor_type},
        )
        assert response.status_code == 303, response.content.decode()[:2000]
        self.token = response["Location"].split("/")[2]
        return response

    def profile(self, actor_type=None, consent="oui", **extra):
        data = {"consent": consent, "action": "suivant"}
        if actor_type:
            data["actor_type"] = actor_type
        return self.client.post(self.url(1), data | extra)

    def complete(self, points=lambda question: 2, actor_type="elu"):
        self.start(actor_type)
        assert self.profile(actor_type).status_code == 303
        for index in range(len(self.axes)):
            response = self.answer_axis(index, points)
            assert response.status_code in (302, 303), response.content.decode()[:3000]
        return response


def participant(campaign, **kwargs):
    from django.test import Client

    taker = Participant(Client(), campaign)
    taker.complete(**kwargs)
    return taker


def test_the_explanation_page_offers_the_creation_form(client):
    page = client.get("/diagnostic/collectif/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Créer le diagnostic partagé" in html
    assert 'name="cle"' in html


def test_creating_lands_on_the_organiser_page_with_the_invitation(client, campaign):
    assert campaign.commune.name == "Vincennes"
    assert campaign.questionnaire.status == "publie"
    assert campaign.organiser_token != campaign.invitation_token
    assert len(campaign.organiser_token) >= 22 and len(campaign.invitation_token) >= 22
    page = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/" in html
    assert "La synthèse apparaît quand au moins 3 participants" in html
    qr = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/invitation.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") and b"style=" not in qr.content


def test_the_same_creation_form_sent_twice_creates_one_campaign(client):
    assert create(client).status_code == 303
    assert create(client).status_code == 303
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Donnez un nom à ce diagnostic partagé."),
        ({"query": ""}, "Indiquez le nom ou le code postal de la commune."),
        ({"query": "Zzzyxville"}, "Aucune commune ne correspond"),
        ({"closes_on": "31/02/2020"}, "Indiquez une date au format jj/mm/aaaa"),
        ({"closes_on": "01/01/2020"}, "La date de clôture est passée"),
        ({"name": "x" * 500}, "au plus 120 caractères"),
    ],
)
def test_bad_creation_input_gets_a_french_message(client, data, message):
    response = create(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_name_shared_by_several_communes_gives_a_list_to_choose_from(client):
    response = create(client, query="Saint-Denis")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Précisez la commune" in html
    code = re.search(r'name="commune" value="(\w+)"', html).group(1)
    assert create(client, query="Saint-Denis", commune=code).status_code == 303
    assert Campaign.objects.get().commune.code == code


def test_a_participant_joins_skips_the_commune_and_gets_own_results(campaign):
    taker = participant(campaign, actor_type="association")
    response = taker.response
    assert response.campaign == campaign
    assert response.actor_type == "association" and response.role == "association"
    assert response.commune == campaign.commune and response.is_complete
    results = taker.client.get(f"/diagnostic/{taker.token}/resultats/").content.decode()
    assert "Vous avez participé au diagnostic partagé" in results


def test_the_participant_profile_asks_no_commune(client, campaign):
    taker = Participant(client, campaign)
    taker.start("entreprise")
    html = client.get(taker.url(1)).content.decode()
    assert 'name="commune_query"' not in html
    assert 'name="actor_type"' in html and "Vincennes" in html
    empty = client.post(taker.url(1), {"action": "suivant", "actor_type": ""})
    assert empty.status_code == 400
    assert "Répondez à cette question pour continuer." in empty.content.decode()


def test_joining_without_an_actor_type_gets_a_french_message(client, campaign):
    url = f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/"
    for data in ({}, {"actor_type": "pirate"}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "type d’acteur" in response.content.decode()
    assert not Response.objects.exists()


def test_the_same_join_form_sent_twice_starts_one_participant(client, campaign):
    url = f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/"
    first = client.post(url, {"actor_type": "elu", "cle": "j" * 32})
    second = client.post(url, {"actor_type": "elu", "cle": "j" * 32})
    assert first["Location"] == second["Location"]
    assert campaign.participants.count() == 1


def test_closing_stops_new_participants_and_reopening_lets_them_in(client, campaign):
    in_progress = Participant(client, campaign)
    in_progress.start()
    status_url = f"/diagnostic/collectif/{campaign.organiser_token}/statut/"
    assert client.post(status_url, {"action": "clore"}).status_code == 303
    join_url = f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/"
    closed = client.get(join_url)
    assert closed.status_code == 403 and "clos" in closed.content.decode()
    assert client.post(join_url, {"actor_type": "elu"}).status_code == 403
    # An answer in progress may still be finished within 7 days.
    assert in_progress.profile("elu").status_code == 303
    Campaign.objects.update(closed_at=campaign.created_at.replace(year=2020))
    late = client.get(in_progress.url(2))
    assert late.status_code == 403 and "plus de 7 jours" in late.content.decode()
    assert client.post(status_url, {"action": "rouvrir"}).status_code == 303
    assert client.get(join_url).status_code == 200
    assert client.post(status_url, {"action": "n'importe"}).status_code == 303


def test_a_passed_closing_date_closes_the_campaign(client, campaign):
    from datetime import timedelta

    from django.utils import timezone

    Campaign.objects.update(closes_on=timezone.localdate() - timedelta(days=1))
    assert (
        client.get(f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/").status_code
        == 403
    )


def test_the_invitation_and_the_organiser_link_are_emailed_and_not_kept(client, campaign):
    url = f"/diagnostic/collectif/{campaign.organiser_token}/envoyer/"
    client.post(url, {"envoi": "invitation", "email": "invite@exemple.fr"})
    client.post(url, {"envoi": "organisateur", "email": "moi@exemple.fr"})
    assert [m.to for m in mail.outbox] == [["invite@exemple.fr"], ["moi@exemple.fr"]]
    assert campaign.invitation_token in mail.outbox[0].body
    assert campaign.organiser_token not in mail.outbox[0].body
    assert campaign.organiser_token in mail.outbox[1].body
    bad = client.post(url, {"envoi": "invitation", "email": "pas une adresse"}, follow=True)
    assert "n’est pas valide" in bad.content.decode()
    assert len(mail.outbox) == 2


def test_deletion_needs_confirmation_then_erases_everything(client, campaign):
    takers = [participant(campaign) for _ in range(3)]
    delete_url = f"/diagnostic/collectif/{campaign.organiser_token}/supprimer/"
    assert client.get(delete_url).status_code == 200
    refused = client.post(delete_url, {})
    assert refused.status_code == 400 and "Cochez la case" in refused.content.decode()
    assert Campaign.objects.exists()
    done = client.post(delete_url, {"confirmation": "oui"})
    assert done.status_code == 200 and "3 participants" in done.content.decode()
    assert not Campaign.objects.exists()
    assert not Response.objects.exists()
    assert not Answer.objects.exists() and not AxisResult.objects.exists()
    assert ErasedLink.objects.count() == 5  # two campaign links and three participants
    for taker in takers:
        page = client.get(f"/diagnostic/{taker.token}/resultats/")
        assert page.status_code == 410
        assert "a été supprimé" in page.content.decode()
    assert client.get(f"/diagnostic/collectif/{campaign.organiser_token}/").status_code == 410
    joined = client.get(f"/diagnostic/collectif/rejoindre/{campaign.invitation_token}/")
    assert joined.status_code == 410
    assert client.get("/diagnostic/collectif/inconnu/").status_code == 404


def test_the_organiser_page_never_shows_a_participant_token_or_answer(client, campaign):
    takers = [participant(campaign, actor_type=t) for t in ("elu", "elu", "elu", "agent")]
    html = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/").content.decode()
    document = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/synthese.json")
    for taker in takers:
        assert taker.token not in html and taker.token not in document.content.decode()
    assert "4 participants ont terminé" in html
    # No individual answer: no choice label, and the lone agent's scores are pooled away.
    assert "Agent de collectivité" not in html
    assert set(document.json()["par_type"]) == {"elu"}
    assert 'type="radio"' not in html


def test_the_organiser_page_counts_those_still_answering_at_each_visit(client, campaign):
    from django.test import Client

    url = f"/diagnostic/collectif/{campaign.organiser_token}/"
    assert "en cours" not in client.get(url).content.decode()
    Participant(Client(), campaign).start()
    assert ", 1 en cours." in client.get(url).content.decode()
    participant(campaign, actor_type="elu")
    assert "1 participant a terminé, 1 en cours." in client.get(url).content.decode()
    # The count the page's one query makes is the simple one's (none: 0, not NULL).
    assert create(client, name="Autre", cle="m" * 32).status_code == 303
    counts = {}
    for each in Campaign.objects.all():
        found = Campaign.objects.for_organiser_page().get(organiser_token=each.organiser_token)
        assert found.in_progress == each.participants.filter(completed_at__isnull=True).count()
        counts[each.name] = found.in_progress
    assert counts == {"Conseil de développement": 1, "Autre": 0}


def test_the_organiser_page_reads_its_commune_once_per_process(
    client, campaign, django_assert_num_queries
):
    from territories.models import commune_of

    with django_assert_num_queries(1):
        commune = commune_of(campaign.commune_id)
        assert (commune.name, commune.departement.name) == ("Vincennes", "Val-de-Marne")
    with django_assert_num_queries(0):
        assert commune_of(campaign.commune_id) is commune
    html = client.get(f"/diagnostic/collectif/{campaign.organiser_token}/").content.decode()
    assert "Vincennes (Val-de-Marne)." in html and "?region=11" in html


def test_the_organiser_page_addresses_are_those_reverse_gives(campaign):
    from django.urls import reverse

    from diagnostics.views import organiser_urls

    names = {"page": "campaign", "qr": "campaign_qr", "send": "campaign_send",
             "status": "campaign_status", "delete": "campaign_delete"}  # fmt: skip
    assert organiser_urls(campaign) == {
        key: reverse(f"diagnostics:{name}", args=[campaign.organiser_token])
        for key, name in names.items()
    }


def test_the_organiser_page_shows_each_new_synthesis_at_once(client, campaign, monkeypatch):
    """The page keeps its rendered synthesis under the campaign's synthesis version
    (ORGANISER_SYNTHESIS): each participant who finishes makes a new one."""
    url = f"/diagnostic/collectif/{campaign.organiser_token}/"
    for taker in range(2):
        participant(campaign, actor_type="elu")
        html = client.get(url).content.decode()
        assert f"{taker + 1} pour l’instant" in html
        assert "Synthèse de" not in html
    participant(campaign, actor_type="elu")
    html = client.get(url).content.decode()
    assert "Synthèse de 3 participants ayant terminé" in html
    assert "3 participants ont terminé" in html
    campaign.refresh_from_db()
    assert campaign.synthesis_version == 3
    # The same version is served from what was kept, not recomputed.
    from diagnostics import selectors

    def recomputed(campaign):
        raise AssertionError("synthesis recomputed for an unchanged version")

    monkeypatch.setattr(selectors, "synthesis_context", recomputed)
    assert "Synthèse de 3 participants ayant terminé" in client.get(url).content.decode()
