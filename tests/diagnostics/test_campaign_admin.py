"""Staff see the shared diagnostics listed, never a token or an answer; the observatory
counts their participants by actor type under the n >= 5 rule."""

import pytest
from django.test import Client

from diagnostics.models import Campaign, Response
from diagnostics.statistics import territory_statistics
from tests.diagnostics.test_campaign import Participant, create

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(client):
    assert create(client).status_code == 303
    return Campaign.objects.get()


@pytest.mark.ignore_template_errors  # Django's own admin templates
def test_staff_list_campaigns_without_tokens_or_answers(administrator_client, campaign):
    taker = Participant(Client(), campaign)
    taker.complete(actor_type="agent")
    listing = administrator_client.get("/admin/diagnostics/campaign/").content.decode()
    assert "Conseil de développement" in listing and "Vincennes" in listing
    assert "Ouvert" in listing
    detail = administrator_client.get(f"/admin/diagnostics/campaign/{campaign.pk}/change/")
    html = detail.content.decode()
    assert detail.status_code == 200
    for secret in (campaign.organiser_token, campaign.invitation_token, taker.token):
        assert secret not in listing and secret not in html
    assert administrator_client.get("/admin/diagnostics/campaign/add/").status_code == 403
    response = administrator_client.get(f"/admin/diagnostics/response/{taker.response.pk}/change/")
    assert taker.token not in response.content.decode()


def test_the_observatory_counts_participants_by_actor_type_with_the_n5_rule(campaign):
    for actor_type in ["elu"] * 5 + ["agent"] * 5 + ["entreprise"] * 2:
        Participant(Client(), campaign).complete(actor_type=actor_type)
    declined = Participant(Client(), campaign)
    declined.start("elu")
    declined.profile("elu", consent="non")
    statistics = territory_statistics()
    assert statistics["collective_total"] == 12
    by_type = statistics["by_actor_type"]
    # entreprise (2) is under 5; hidden alone it would be 12 - 5 - 5: the smallest shown
    # cell goes too.
    assert by_type["entreprise"]["hidden"]
    assert sum(1 for group in by_type.values() if group["hidden"]) == 2
    shown = [group["n"] for group in by_type.values() if not group["hidden"]]
    assert shown == [5]


def test_generate_campaign_data_is_idempotent_and_its_synthesis_is_served(client):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("generate_campaign_data", "--participants", "24", "--campaigns", "30", stdout=out)
    call_command("generate_campaign_data", "--participants", "24", "--campaigns", "30",
                 stdout=StringIO())  # fmt: skip
    urls = json.loads(out.getvalue())
    large = Campaign.objects.get(organiser_token="test-collectif-grand-organisateur")
    assert large.participants.count() == 24 and large.completed_count == 24
    assert Campaign.objects.filter(name__startswith="[TEST]").count() == 31
    assert Campaign.objects.filter(is_demo=False).count() == 0
    document = client.get(urls["synthese_json"]).json()
    assert document["participants"] == 24 and document["axes"]
    assert sum(document["par_type"].values()) == 24  # 3 of each of the 8 types
    assert client.get(urls["organiser_page"]).status_code == 200
    assert territory_statistics()["collective_total"] == 0  # test data is never counted


def test_generate_diagnostic_data_still_inserts_rows_in_sql():
    from io import StringIO

    from django.core.management import call_command

    call_command("generate_diagnostic_data", "--responses", "20", stdout=StringIO(),
                 stderr=StringIO())  # fmt: skip
    assert Response.objects.filter(token__startswith="test-echelle-", actor_type="").count() == 21
