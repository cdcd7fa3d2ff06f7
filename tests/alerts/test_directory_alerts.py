"""Alerts on a region (or any facets) of the network's directory: asked from /reseau/,
the digest lists the profiles published since the last one that the directory's own
FilterSet selects."""

from datetime import timedelta

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from alerts.digest import digests_send
from alerts.enums import AlertKind
from alerts.models import Alert
from network.filters import ProfileFilterSet
from tests.alerts.factories import AlertFactory
from tests.network.factories import ProfileFactory

pytestmark = pytest.mark.django_db

FORM = {"email": "camille@example.org", "frequency": "hebdomadaire", "consent": "on"}


def ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def test_the_directory_offers_an_alert_on_its_region(client):
    ProfileFactory(published_at=ago(1))
    page = client.get("/reseau/?region=84&page=2").content.decode()
    assert 'href="/alertes/reseau/?region=84"' in page
    form = client.get("/alertes/reseau/?region=84&metier=dialogue-territorial&page=3")
    text = form.content.decode()
    assert form.status_code == 200
    assert "Région\u00a0: Auvergne-Rhône-Alpes" in text and "Métier\u00a0: Dialogue" in text
    assert client.post("/alertes/reseau/?region=84", FORM).status_code == 303
    alert = Alert.objects.get()
    assert (alert.kind, alert.query) == (AlertKind.DIRECTORY, "region=84")


def test_the_digest_lists_the_new_profiles_of_the_region():
    old = ProfileFactory(name="Ancienne fiche", published_at=ago(24 * 30))
    ProfileFactory(name="Nouvelle fiche lyonnaise", published_at=ago(2))
    ProfileFactory(name="Nouvelle fiche bretonne", region_codes=["53"], published_at=ago(3))
    ProfileFactory(name="Fiche à modérer", confirmed=True, published_at=None)
    alert = AlertFactory(confirmed=True, kind=AlertKind.DIRECTORY, query="region=84")
    everywhere = AlertFactory(confirmed=True, kind=AlertKind.DIRECTORY, query="")
    digests_send()
    by_address = {
        m.to[0]: sorted(line[2:] for line in m.body.splitlines() if line.startswith("- "))
        for m in mail.outbox
    }
    expected = sorted(
        p.name
        for p in ProfileFilterSet(QueryDict("region=84")).qs
        if p.published_at > alert.last_sent_at
    )
    assert expected == ["Nouvelle fiche lyonnaise"] and old.name not in expected
    assert by_address == {
        alert.subscriber.email: expected,
        everywhere.subscriber.email: ["Nouvelle fiche bretonne", "Nouvelle fiche lyonnaise"],
    }
    assert "http://testserver/reseau/" in mail.outbox[0].body
    mail.outbox.clear()
    assert digests_send(now=timezone.now() + timedelta(days=8)).sent == 0
