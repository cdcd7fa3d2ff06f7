"""The benchmark's subscriptions: all confirmed and due, each watching a search, a
theme or the agenda, and a digest run checks every one of them."""

import io
import json

import pytest
from django.core.management import call_command

from alerts.digest import digests_send
from alerts.models import Alert, Subscriber
from tests.resources.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_generated_subscriptions_are_all_checked_by_one_digest_run():
    theme = ThemeFactory(slug="evaluation")
    for _ in range(60):
        ResourceFactory(themes=[theme])
    out = io.StringIO()
    call_command("generate_alert_data", subscriptions=120, stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1])["subscriptions"] == 120
    call_command("generate_alert_data", subscriptions=80, stdout=io.StringIO())  # replaces
    assert Subscriber.objects.count() == Alert.objects.count() == 80
    assert {"recherche", "theme", "agenda"} == set(Alert.objects.values_list("kind", flat=True))
    run = digests_send(chunk_size=30)
    assert run.checked == 80 and 0 < run.sent < 80
