"""The digests: exactly the new items of the saved search (the catalogue's FilterSet),
the agenda's new events, nothing when nothing is new, and the one-click unsubscribe
headers of RFC 8058 on every message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from alerts.digest import digests_send
from alerts.enums import AlertKind
from alerts.models import Alert
from resources.filters import ResourceFilterSet
from tests.alerts.factories import AlertFactory
from tests.network.factories import EventFactory
from tests.resources.factories import ResourceFactory, TagFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def library():
    """Old and new resources, in and out of a search on « évaluation » in one theme."""
    theme, other = ThemeFactory(slug="evaluation"), ThemeFactory(slug="gouvernance")
    tag = TagFactory(name="mesure", slug="mesure")
    made = {
        "old_match": ResourceFactory(
            title="Évaluation partenariale, 2019", themes=[theme], published_at=hours_ago(24 * 30)
        ),
        "new_match": ResourceFactory(
            title="Guide de l’évaluation", themes=[theme], published_at=hours_ago(2)
        ),
        "new_match_by_tag": ResourceFactory(
            title="Mesurer l’évaluation", themes=[theme], tags=[tag], published_at=hours_ago(30)
        ),
        "new_other_theme": ResourceFactory(
            title="Évaluation et gouvernance", themes=[other], published_at=hours_ago(3)
        ),
        "new_no_word": ResourceFactory(
            title="Conduire un atelier", themes=[theme], published_at=hours_ago(4)
        ),
        "new_draft": ResourceFactory(title="Évaluation en projet", themes=[theme], draft=True),
        "future": ResourceFactory(title="Évaluation à venir", themes=[theme], future=True),
    }
    return made


def expected_titles(query: str, mark) -> list[str]:
    """The catalogue page's own answer: its FilterSet's results, the new ones only."""
    results = ResourceFilterSet(QueryDict(query)).results
    return sorted(r.title for r in results[:1000] if r.published_at > mark)


def digest_titles(message) -> list[str]:
    lines = message.body.splitlines()
    return sorted(line[2:] for line in lines if line.startswith("- "))


@pytest.mark.parametrize(
    "query",
    ["q=%C3%A9valuation&theme=evaluation", "theme=evaluation", "q=%C3%A9valuation", "",
     "tag=mesure", "q=%22guide+de%22", "q=-atelier&theme=evaluation"],
)  # fmt: skip
def test_a_digest_lists_exactly_the_new_items_of_the_saved_search(library, query):
    alert = AlertFactory(confirmed=True, query=query, last_sent_at=hours_ago(24 * 7))
    expected = expected_titles(query, alert.last_sent_at)
    run = digests_send()
    assert run.checked == 1
    if not expected:
        assert not mail.outbox
        return
    (message,) = mail.outbox
    assert digest_titles(message) == expected
    assert message.to == [alert.subscriber.email]


def test_the_search_with_words_and_theme_gives_the_two_new_matches(library):
    AlertFactory(confirmed=True, query="q=%C3%A9valuation&theme=evaluation")
    digests_send()
    (message,) = mail.outbox
    assert digest_titles(message) == ["Guide de l’évaluation", "Mesurer l’évaluation"]
    assert message.subject == "Alerte : 2 nouveautés"
    assert "http://testserver/ressources/" in message.body


def test_a_theme_alert_is_the_catalogue_filtered_on_the_theme(library):
    theme = ThemeFactory(slug="evaluation")
    AlertFactory(confirmed=True, kind=AlertKind.THEME, theme=theme)
    digests_send()
    (message,) = mail.outbox
    assert digest_titles(message) == expected_titles("theme=evaluation", hours_ago(24 * 7 + 1))
    assert "Thème\u00a0: " in message.body


def test_nothing_is_sent_when_nothing_is_new_and_the_mark_moves_on(library):
    alert = AlertFactory(confirmed=True, query="theme=gouvernance", last_sent_at=hours_ago(1))
    run = digests_send()
    assert (run.checked, run.sent) == (1, 0) and not mail.outbox
    alert.refresh_from_db()
    assert alert.last_sent_at > hours_ago(0.1)
    assert alert.due_at > timezone.now() + timedelta(days=6)


def test_a_second_run_sends_nothing_more(library):
    AlertFactory(confirmed=True, query="theme=evaluation")
    AlertFactory(confirmed=True, query="theme=evaluation", frequency="quotidienne")
    assert digests_send().sent == 2
    assert digests_send(now=timezone.now() + timedelta(hours=2)).checked == 0
    later = digests_send(now=timezone.now() + timedelta(days=1, hours=1))
    assert (later.checked, later.sent) == (1, 0)  # the daily one, with nothing new
    assert len(mail.outbox) == 2


def test_unconfirmed_and_not_yet_due_alerts_are_left_alone(library):
    AlertFactory(query="theme=evaluation")  # not confirmed
    AlertFactory(confirmed=True, query="theme=evaluation", due_at=timezone.now() + timedelta(1))
    assert digests_send().checked == 0 and not mail.outbox


def test_the_agenda_digest_lists_the_new_published_upcoming_events():
    EventFactory(title="Rencontre déjà annoncée")
    alert = AlertFactory(confirmed=True, agenda=True)
    webinars = AlertFactory(confirmed=True, agenda=True, query="type=webinaire")
    Alert.objects.update(last_event_id=EventFactory(title="Annoncée aussi").pk)
    EventFactory(title="Rencontre nouvelle")
    EventFactory(title="Webinaire nouveau", webinar=True)
    EventFactory(title="Pas publié", is_published=False)
    EventFactory(title="Déjà passé", past=True)
    digests_send()
    by_address = {m.to[0]: digest_titles(m) for m in mail.outbox}
    assert by_address == {
        alert.subscriber.email: ["Rencontre nouvelle", "Webinaire nouveau"],
        webinars.subscriber.email: ["Webinaire nouveau"],
    }
    mail.outbox.clear()
    assert digests_send(now=timezone.now() + timedelta(days=8)).sent == 0


def test_every_digest_carries_the_one_click_unsubscribe_headers(library):
    alert = AlertFactory(confirmed=True, query="theme=evaluation")
    digests_send()
    (message,) = mail.outbox
    url = f"http://testserver/alertes/desabonnement/{alert.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{url}>"
    assert f"Se désabonner en un clic : {url}" in message.body
    assert f"http://testserver/alertes/{alert.subscriber.token}/" in message.body


def alerts_made(copies: int) -> None:
    for _ in range(copies):
        AlertFactory(confirmed=True, query="theme=evaluation")
        AlertFactory(confirmed=True, query="q=mot")
        AlertFactory(confirmed=True, agenda=True)


def test_a_run_reads_a_constant_number_of_queries(library, django_assert_num_queries):
    """Marks, events, resources, then per chunk its claim, one update per kind of mark
    and frequency (two here: the searches', the agenda's) and one parse per distinct
    searched text, then a last empty claim, and the savepoints of the chunks'
    transactions: not one query per alert (the e-mails are sent inline here; the queue
    adds one insert per e-mail)."""
    alerts_made(1)
    digests_send()  # the library index is built, the regions' names read
    Alert.objects.all().delete()
    alerts_made(3)
    with django_assert_num_queries(16):
        assert digests_send().checked == 9
    Alert.objects.all().delete()
    alerts_made(30)
    with django_assert_num_queries(16):
        assert digests_send().checked == 90
