"""Administrators export an event's attendance list (CSV, XLSX) and write to its
registrants (one e-mail each, through the task queue) from the events' list; editors
can do neither. Places added by staff go to the waiting list."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from network.enums import RegistrationStatus
from network.models import Registration
from tests.network.factories import EventFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/network/event/"


@pytest.fixture
def event():
    event = EventFactory(capacity=2, title="Atelier : évaluer ensemble")
    now = timezone.now()
    for name, status, minutes in [
        ("Cyr", RegistrationStatus.WAITING, 3), ("Ada", RegistrationStatus.CONFIRMED, 1),
        ("Dan", RegistrationStatus.PENDING, 0), ("Bea", RegistrationStatus.WAITING, 2),
        ("Eve", RegistrationStatus.CONFIRMED, 4),
    ]:  # fmt: skip
        moment = now - timedelta(minutes=10 - minutes)
        Registration.objects.create(
            event=event, name=name, email=f"{name.lower()}@example.org", status=status,
            organisation="Mairie" if name == "Ada" else "",
            confirmed_at=moment if status == RegistrationStatus.CONFIRMED else None,
            waiting_since=moment if status == RegistrationStatus.WAITING else None,
            site_url="https://agenda.example.org/",
        )  # fmt: skip
    return event


def action(client, name, event, **fields):
    return client.post(LIST, {"action": name, "_selected_action": [event.pk], **fields})


def test_administrators_export_the_attendance_list_as_csv(administrator_client, event):
    response = action(administrator_client, "export_csv", event)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inscrits-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Événement", "Début (heure de Paris)", "Nom", "Adresse e-mail", "Organisation", "Statut",
    ]  # fmt: skip
    assert [(row[2], row[5], row[6]) for row in rows[1:]] == [
        ("Ada", "Confirmée", ""), ("Eve", "Confirmée", ""),
        ("Bea", "Sur liste d’attente", "1"), ("Cyr", "Sur liste d’attente", "2"),
        ("Dan", "À confirmer", ""),
    ]  # fmt: skip
    assert rows[1][3:5] == ["ada@example.org", "Mairie"]


def test_administrators_export_the_attendance_list_as_xlsx(administrator_client, event):
    response = action(administrator_client, "export_xlsx", event)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Nom" and len(rows) == 6
    assert [row[2] for row in rows[1:]] == ["Ada", "Eve", "Bea", "Cyr", "Dan"]


def test_administrators_write_to_the_registrants_one_email_each(administrator_client, event):
    page = action(administrator_client, "message_registrants", event)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Écrire aux inscrits" in text and "2 inscriptions confirmées" in text
    empty = action(administrator_client, "message_registrants", event, apply="Envoyer")
    assert "Ce champ est obligatoire." in empty.content.decode() and not mail.outbox

    sent = action(
        administrator_client, "message_registrants", event, apply="Envoyer",
        subject="Changement de salle", body="La rencontre aura lieu salle B.",
    )  # fmt: skip
    assert sent.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "eve@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Changement de salle"
    assert "La rencontre aura lieu salle B." in message.body
    assert "https://agenda.example.org/agenda/inscription/" in message.body
    mail.outbox.clear()
    action(
        administrator_client, "message_registrants", event, apply="Envoyer",
        subject="Objet", body="Texte", waiting_too="on",
    )  # fmt: skip
    assert len(mail.outbox) == 4  # the pending one gets nothing


def test_editors_neither_export_nor_write_to_registrants(editor_client, event):
    listing = editor_client.get(LIST).content.decode()
    assert "export_csv" not in listing and "message_registrants" not in listing
    for name in ("export_csv", "export_xlsx", "message_registrants"):
        response = action(editor_client, name, event, apply="Envoyer", subject="A", body="B")
        assert response.status_code == 302 and "attachment" not in response.get(
            "Content-Disposition", ""
        )
    assert not mail.outbox


def test_places_added_by_staff_go_to_the_waiting_list_in_order(administrator_client, event):
    url = f"{LIST}{event.pk}/change/"
    form = administrator_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {
        "starts_at_0": timezone.localtime(event.starts_at).strftime("%d/%m/%Y"),
        "starts_at_1": timezone.localtime(event.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(event.ends_at).strftime("%d/%m/%Y"),
        "ends_at_1": timezone.localtime(event.ends_at).strftime("%H:%M:%S"),
        "capacity": 3,
        "resources": [],
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
    }
    data.pop("starts_at"), data.pop("ends_at")
    response = administrator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert dict(event.registrations.values_list("name", "status"))["Bea"] == "confirmee"
    assert dict(event.registrations.values_list("name", "status"))["Cyr"] == "liste-d-attente"
    (message,) = mail.outbox
    assert message.to == ["bea@example.org"]
