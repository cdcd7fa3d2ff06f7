"""The same import confirmed twice at once (a double click, two tabs): the resources are
stored once, and neither staff member gets a server error."""

import threading

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from resources.models import Resource, Tag, Theme
from tests.resources.staff import EDITOR, staff_user
from tests.resources.test_import_export import confirm, csv_file, dry_run, rows

pytestmark = pytest.mark.ignore_template_errors  # Django's and import-export's templates


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Writes committed for real (each thread has its own connection), then deleted:
    flushing the test database would drop the migrations' reference data."""
    with django_db_blocker.unblock():
        Theme.objects.get_or_create(slug="gouvernance", defaults={"name": "Gouvernance"})
        editor = staff_user("importateur", EDITOR)
        yield editor
        Resource.objects.filter(slug__startswith="import-").delete()
        Resource.history.filter(slug__startswith="import-").delete()
        Tag.objects.filter(slug__in=["import", "alliance"]).delete()
        Theme.objects.filter(slug="gouvernance").delete()
        User.objects.filter(pk=editor.pk).delete()


def test_an_import_confirmed_twice_at_once_is_stored_once(committed):
    clients = [Client() for _ in range(2)]
    checks = []
    for client in clients:
        client.force_login(committed)
        checks.append(dry_run(client, csv_file(rows())))
    barrier = threading.Barrier(len(clients))
    statuses, reports = [], []

    def submit(client, check):
        try:
            barrier.wait(timeout=10)
            response = confirm(client, check)
            statuses.append(response.status_code)
            reports.extend(str(m) for m in get_messages(response.wsgi_request))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(clients, checks, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Resource.objects.filter(slug__startswith="import-").count() == 100
    assert statuses == [302, 302]
    # One import created them; the other found them there and created nothing.
    assert sorted("100 nouveaux" in report for report in reports) == [False, True], reports
    assert all("Importation terminée: " in report for report in reports), reports
