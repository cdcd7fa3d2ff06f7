"""One figure for how long an unfinished diagnostic is kept: the setting the purge
command uses, stated alike on /diagnostic/ and on the privacy page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from diagnostics.models import Response
from tests.diagnostics.conftest import Taker
from tests.site.text import visible_text


@pytest.mark.parametrize("days", [180, 45])
def test_the_privacy_page_and_the_diagnostic_state_the_purge_delay(client, db, days):
    with override_settings(DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS=days):
        sentence = f"inachevé est supprimé après {days} jours sans modification."
        assert sentence in visible_text(client.get("/donnees-personnelles/").content.decode())
        assert sentence in visible_text(client.get("/diagnostic/").content.decode())


@override_settings(DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS=45)
def test_the_purge_deletes_after_the_stated_delay(client, db):
    """The figure the pages state is the one the purge applies."""
    taker = Taker(client)
    taker.start()
    Response.objects.filter(token=taker.token).update(
        updated_at=timezone.now() - datetime.timedelta(days=44)
    )
    call_command("purge_diagnostics", stdout=io.StringIO())
    assert Response.objects.filter(token=taker.token).exists()
    Response.objects.filter(token=taker.token).update(
        updated_at=timezone.now() - datetime.timedelta(days=46)
    )
    call_command("purge_diagnostics", stdout=io.StringIO())
    assert not Response.objects.filter(token=taker.token).exists()
