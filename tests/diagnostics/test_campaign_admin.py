"""Staff see the shared diagnostics listed, never a token or an answer; the observatory
counts their participants by actor type under the n >= 5 rule."""

import pytest
from django.test import Client

from diagnostics.models import Campaign
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
