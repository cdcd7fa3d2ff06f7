"""The roadmap pages (feuille de route) of a person and of a shared diagnostic: the
bilan, targets and actions form, its French errors, saving (303), freezing, the .ics
of target months parsed back, and query counts that do not grow with the actions."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.forms import month_add, parse_month
from diagnostics.models import Action, Roadmap
from diagnostics.services import roadmap_freeze, roadmap_get_or_create, roadmap_save
from kit.enums import PublicationStatus
from kit.models import Parcours
from tests.diagnostics.test_campaign import Participant, create
from tests.kit.factories import ParcoursFactory

pytestmark = pytest.mark.django_db

FUZZ_FIELDS = ["cible_vision", "cible_moyens", "action_1", "titre_1", "qui_1", "mois_1",
               "action_2", "mois_2", "action", "confirm_freeze", "autre"]  # fmt: skip
FUZZ_VALUES = st.one_of(st.text(max_size=60), st.sampled_from(
    ["", "1", "2", "0", "-1", "9" * 40, "figer", "on", "structuration", "12/2027", "2027-13",
     "00/2027", "1/99999", "\x00", "<script>", "é" * 300]
))  # fmt: skip


@pytest.fixture
def catalogue():
    call_command("loaddata", "fixtures/08_actions.json", verbosity=0)
    return list(Action.objects.filter(is_published=True).order_by("position", "pk"))


@pytest.fixture
def done(taker, catalogue):
    """A completed diagnostic: every axis at 1 point of 3 (33,3, Expérimentation)."""
    taker.complete(points=lambda question: 1)
    return taker


def url(taker, suffix="feuille-de-route/"):
    return f"/diagnostic/{taker.token}/{suffix}"


def month(offset: int) -> str:
    return f"{month_add(timezone.localdate().replace(day=1), offset):%m/%Y}"


def form_data(**extra) -> dict:
    targets = {f"cible_{code}": "structuration"
               for code in ["vision", "ecosysteme", "action", "moyens", "evaluation"]}  # fmt: skip
    return targets | extra


def text(response) -> str:
    """The page's main text, tags removed, spaces collapsed (non-breaking ones too)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main).replace("\u00a0", " "))


def test_an_unfinished_diagnostic_has_no_roadmap_yet(taker, catalogue):
    taker.start()
    response = taker.client.get(url(taker), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "Terminez d’abord le diagnostic" in text(response)
    assert not Roadmap.objects.exists()


def test_the_page_shows_the_bilan_and_targets_one_level_up(done):
    response = done.client.get(url(done))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = text(response)
    assert "Vision et enjeux 33,3 Expérimentation" in page
    html = response.content.decode()
    # Default target: one level up; the current level is offered, lower ones are not.
    assert '<option value="structuration" selected>Structuration</option>' in html
    assert "Expérimentation (niveau actuel)" in html
    assert '<option value="emergence"' not in html
    assert html.count('<optgroup label="Suggérées d’après les réponses">') == 5  # 5 rows
    assert (
        "Construire votre feuille de route"
        in done.client.get(url(done, "resultats/")).content.decode()
    )
    assert not Roadmap.objects.exists()  # a GET writes nothing


def test_saving_redirects_and_shows_what_was_saved(done, catalogue):
    data = form_data(
        cible_vision="demultiplication", action_1=catalogue[0].pk, qui_1="Mairie",
        mois_1=month(2), titre_2="Réunir le conseil, les associations; et l’école", qui_2="",
    )  # fmt: skip
    response = done.client.post(url(done), data)
    assert response.status_code == 303 and response["Location"] == url(done)
    roadmap = Roadmap.objects.get(response=done.response)
    assert roadmap.targets["vision"] == "demultiplication"
    items = list(roadmap.items.all())
    assert [(i.action, i.owner) for i in items] == [(catalogue[0], "Mairie"), (None, "")]
    assert items[0].target_month == month_add(timezone.localdate().replace(day=1), 2)
    page = done.client.get(url(done))
    assert "La feuille de route est enregistrée" in text(page)
    assert f'value="{month(2)}"' in page.content.decode()  # the form shows it again
    assert '<option value="demultiplication" selected>' in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mois_1", "13/2027", "Le mois va de 01 à 12"),
        ("mois_1", "mars", "Indiquez le mois au format mm/aaaa"),
        ("mois_1", "past", "Ce mois est passé"),
        ("mois_1", "far", "Choisissez un mois dans les 36 prochains mois"),
        ("titre_1", "Et la mienne", "Choisissez une action du catalogue ou écrivez la vôtre"),
        ("cible_vision", "emergence", "Choisissez un niveau de la liste"),
    ],
)
def test_bad_input_is_refused_in_french_with_what_was_typed(done, catalogue, field, value, message):
    value = {"past": month(-1), "far": month(37)}.get(value, value)
    data = form_data(action_1=catalogue[0].pk, qui_1="Le maire", mois_1=month(1)) | {field: value}
    response = done.client.post(url(done), data)
    assert response.status_code == 400
    page = text(response)
    assert "point à corriger" in page and message in page
    html = response.content.decode()
    assert 'class="field-error"' in html and f'href="#id_{field}"' in html
    assert 'value="Le maire"' in html  # nothing typed is lost
    assert f'<option value="{catalogue[0].pk}" selected>' in html
    if field.startswith("mois") or field.startswith("titre"):
        assert f'value="{value}"' in html
    assert not Roadmap.objects.exists()


def test_an_owner_or_month_without_an_action_and_a_repeated_action_are_errors(done, catalogue):
    data = form_data(qui_1="Mairie", action_2=catalogue[0].pk, action_3=catalogue[0].pk)
    response = done.client.post(url(done), data)
    assert response.status_code == 400
    page = text(response)
    assert "2 points à corriger" in page
    assert "Action 1, action du catalogue : Choisissez une action ou écrivez la vôtre" in page
    assert "Action 3, action du catalogue : Cette action est déjà choisie plus haut." in page


def test_freezing_needs_the_confirmation_then_the_page_is_read_only(done, catalogue):
    data = form_data(action_1=catalogue[0].pk, action="figer")
    refused = done.client.post(url(done), data)
    assert refused.status_code == 400
    assert "Cochez la case pour confirmer avant de figer." in text(refused)
    assert not Roadmap.objects.filter(frozen_at__isnull=False).exists()

    frozen = done.client.post(url(done), data | {"confirm_freeze": "on"})
    assert frozen.status_code == 303
    roadmap = Roadmap.objects.get(response=done.response)
    assert roadmap.is_frozen and roadmap.items.get().action == catalogue[0]
    page = done.client.get(url(done))
    assert "Feuille de route figée le" in text(page)
    assert "<form" not in page.content.decode().split("<main")[1].split("</main>")[0]
    assert catalogue[0].title in text(page)

    again = done.client.post(url(done), form_data(action_1=catalogue[1].pk), follow=True)
    assert "Cette feuille de route est figée : elle ne peut plus être modifiée." in text(again)
    assert roadmap.items.get().action == catalogue[0]


def test_the_form_needs_its_csrf_token(done):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(done), form_data()).status_code == 403


def unfold(body: str) -> list[str]:
    """RFC 5545 lines: CRLF ends, a line starting with a space continues the last."""
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    lines = []
    for line in body.split("\r\n")[:-1]:
        assert len(line.encode()) <= 75
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


def events(body: str) -> list[dict]:
    found, current = [], None
    for line in unfold(body):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return found


def test_the_ics_has_one_all_day_event_per_dated_action(done, catalogue):
    long_title = "Réunir le conseil, les associations; et l’école \\ " + "très " * 20
    done.client.post(url(done), form_data(
        action_1=catalogue[0].pk, qui_1="Mairie", mois_1=month(3),
        titre_2=long_title, mois_2=month(0), action_3=catalogue[1].pk,
    ))  # fmt: skip
    response = done.client.get(url(done, "feuille-de-route.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    found = events(body)
    assert len(found) == 2  # the third action has no month
    first_day = month_add(timezone.localdate().replace(day=1), 3)
    assert found[0]["DTSTART;VALUE=DATE"] == f"{first_day:%Y%m%d}"
    assert found[0]["DTEND;VALUE=DATE"] == f"{date.fromordinal(first_day.toordinal() + 1):%Y%m%d}"
    assert unescape(found[0]["SUMMARY"]) == catalogue[0].title
    assert "Porteur : Mairie" in unescape(found[0]["DESCRIPTION"])
    assert unescape(found[1]["SUMMARY"]) == long_title.strip()
    assert re.fullmatch(r"\d{8}T\d{6}Z", found[0]["DTSTAMP"])
    assert len({e["UID"] for e in found}) == 2
    again = events(done.client.get(url(done, "feuille-de-route.ics")).content.decode())
    assert [e["UID"] for e in again] == [e["UID"] for e in found]  # stable UIDs
    assert done.token not in body  # the private link stays out of calendars


def test_without_a_roadmap_there_is_no_ics(done):
    assert done.client.get(url(done, "feuille-de-route.ics")).status_code == 404


def test_query_counts_do_not_grow_with_the_actions(done, catalogue, django_assert_num_queries):
    roadmap = roadmap_get_or_create(response=done.response, scores={})
    for count in (1, 5):
        items = [{"action": a, "owner": "x", "target_month": date(2099, 1, 1)}
                 for a in catalogue[:count]]  # fmt: skip
        roadmap_save(roadmap=roadmap, targets={}, items=items)
        done.client.get(url(done))  # per-process caches warm, as in production
        # response, answers, roadmap, items, catalogue, its questions, its resources,
        # the library's and kit's versions (the parcours, kept per process under them)
        with django_assert_num_queries(8):
            assert done.client.get(url(done)).status_code == 200
        with django_assert_num_queries(4):  # response, answers, roadmap, items
            assert done.client.get(url(done, "feuille-de-route.ics")).status_code == 200
    roadmap_freeze(roadmap=roadmap)
    with django_assert_num_queries(8):
        assert done.client.get(url(done)).status_code == 200


def test_a_redo_shows_which_targets_were_reached(done, catalogue):
    done.client.post(url(done), form_data(cible_vision="experimentation"))
    results = done.client.get(url(done, "resultats/"))
    key = re.search(r'name="cle" value="([^"]+)"', results.content.decode())[1]
    redone = done.client.post(url(done, "refaire/"), {"cle": key})
    done.token = redone["Location"].split("/")[2]
    for index in range(len(done.axes)):
        done.answer_axis(index, lambda question: 1)
    assert done.response.is_complete and done.response.previous_id
    for page in (done.client.get(url(done, "resultats/")), done.client.get(url(done))):
        body = text(page)
        assert "Les cibles de la feuille de route du" in body
        assert "Vision et enjeux Expérimentation Expérimentation Oui, atteinte" in body
        assert "Action engagée Structuration Expérimentation Pas encore" in body


# --- Shared diagnostic ------------------------------------------------------------------


@pytest.fixture
def campaign(client, catalogue):
    from diagnostics.models import Campaign

    assert create(client).status_code == 303
    return Campaign.objects.get()


def organiser_url(campaign, suffix="feuille-de-route/"):
    return f"/diagnostic/collectif/{campaign.organiser_token}/{suffix}"


def test_the_group_roadmap_opens_with_three_participants(client, campaign, catalogue):
    Participant(Client(), campaign).complete(actor_type="elu")
    closed = client.get(organiser_url(campaign), follow=True)
    assert "au moins 3 participants ont terminé" in text(closed)
    for kind in ["elu", "agent"]:
        Participant(Client(), campaign).complete(actor_type=kind)
    assert (
        "Construire votre feuille de route"
        in client.get(campaign.get_absolute_url()).content.decode()
    )
    page = client.get(organiser_url(campaign))
    assert page.status_code == 200
    assert "médiane des scores des participants" in text(page)
    assert "Vision et enjeux 66,7 Structuration" in text(page)
    from tests.site.test_french_typography import typography_faults
    from tests.site.text import visible_text

    assert not typography_faults(visible_text(page.content.decode()))
    saved = client.post(organiser_url(campaign), form_data(
        cible_vision="demultiplication", action_1=catalogue[2].pk, qui_1="Conseil",
        mois_1=month(6),
    ))  # fmt: skip
    assert saved.status_code == 303
    roadmap = Roadmap.objects.get(campaign=campaign)
    assert roadmap.items.get().owner == "Conseil"
    found = events(client.get(organiser_url(campaign, "feuille-de-route.ics")).content.decode())
    assert len(found) == 1 and campaign.organiser_token not in str(found)
    # The invitation's token and a participant's are no organiser's.
    assert (
        client.get(
            f"/diagnostic/collectif/{campaign.invitation_token}/feuille-de-route/"
        ).status_code
        == 404
    )


def test_group_page_queries_do_not_grow_with_participants_or_actions(
    client, campaign, catalogue, django_assert_num_queries
):
    for kind in ["elu", "agent", "habitant"]:
        Participant(Client(), campaign).complete(actor_type=kind)
    roadmap = roadmap_get_or_create(campaign=campaign, scores={})
    for count in (1, 5):
        roadmap_save(roadmap=roadmap, targets={}, items=[{"action": a} for a in catalogue[:count]])
        Participant(Client(), campaign).complete(actor_type="elu")
        client.get(organiser_url(campaign))  # per-process caches warm, as in production
        # campaign, roadmap, items, catalogue, its questions, its resources, the versions
        with django_assert_num_queries(7):
            assert client.get(organiser_url(campaign)).status_code == 200


# --- The parcours of the weakest axes ----------------------------------------------------

POINTS = {"vision": 0, "ecosysteme": 1}  # the two weakest axes; the others score 3


def weak_vision_then_ecosystem(question):
    return POINTS.get(question.axis.code, 3)


def parcours_block(response) -> str:
    page = response.content.decode()
    start = page.index('id="titre-parcours"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def axis_parcours(db):
    published = PublicationStatus.PUBLISHED
    ParcoursFactory(title="Pour l’écosystème", diagnostic_axes=["ecosysteme"], status=published)
    ParcoursFactory(title="Pour la vision", diagnostic_axes=["vision"], status=published)
    ParcoursFactory(title="Pour les moyens", diagnostic_axes=["moyens"], status=published)
    ParcoursFactory(
        title="Brouillon vision", diagnostic_axes=["vision"], status=PublicationStatus.DRAFT
    )


def test_a_person_roadmap_links_to_the_parcours_of_the_weakest_axes(
    taker, catalogue, axis_parcours
):
    taker.complete(points=weak_vision_then_ecosystem)
    page = taker.client.get(url(taker))
    block = parcours_block(page)
    assert block.index("Pour la vision") < block.index("Pour l’écosystème")
    assert "Pour les moyens" not in block and "Brouillon" not in block
    vision = Parcours.objects.get(title="Pour la vision")
    assert f'href="{vision.get_absolute_url()}"' in block
    assert "vos axes les plus faibles" in text(page)
    # The same parcours as the results page, and still there once the roadmap is frozen.
    results = taker.client.get(url(taker, "resultats/"))
    assert parcours_block(results).count("<li>") == block.count("<li>") == 2
    taker.client.post(url(taker), form_data(action_1=catalogue[0].pk, action="figer",
                                            confirm_freeze="on"))  # fmt: skip
    assert "Pour la vision" in parcours_block(taker.client.get(url(taker)))


def test_a_roadmap_without_parcours_for_its_axes_has_no_parcours_block(done):
    assert 'id="titre-parcours"' not in done.client.get(url(done)).content.decode()


def test_a_parcours_published_after_a_first_visit_is_on_the_roadmap_at_once(
    taker, catalogue, django_capture_on_commit_callbacks
):
    taker.complete(points=weak_vision_then_ecosystem)
    assert 'id="titre-parcours"' not in taker.client.get(url(taker)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the kit's version moves
        ParcoursFactory(
            title="Publié ensuite", diagnostic_axes=["vision"], status=PublicationStatus.PUBLISHED
        )
    assert "Publié ensuite" in parcours_block(taker.client.get(url(taker)))


def test_the_group_roadmap_links_to_the_parcours_of_the_group_weakest_axes(
    client, campaign, axis_parcours
):
    for kind in ["elu", "agent", "habitant"]:
        Participant(Client(), campaign).complete(points=weak_vision_then_ecosystem,
                                                 actor_type=kind)  # fmt: skip
    page = client.get(organiser_url(campaign))
    block = parcours_block(page)
    assert block.index("Pour la vision") < block.index("Pour l’écosystème")
    assert "Pour les moyens" not in block and "Brouillon" not in block
    assert "les axes les plus faibles du groupe" in text(page)


def test_the_roadmap_pages_follow_french_typography(done, catalogue):
    from tests.site.test_french_typography import typography_faults
    from tests.site.text import visible_text

    pages = [done.client.get(url(done))]
    pages.append(done.client.post(url(done), form_data(qui_1="x", mois_2="13/2027", titre_3="a"
                                                       * 300, action="figer")))  # fmt: skip
    done.client.post(url(done), form_data(action_1=catalogue[0].pk, action="figer",
                                          confirm_freeze="on"))  # fmt: skip
    pages.append(done.client.get(url(done)))
    pages.append(done.client.post(url(done), form_data(), follow=True))  # frozen: refused
    for response in pages:
        text = visible_text(response.content.decode())
        assert not typography_faults(text), "\n".join(typography_faults(text))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=st.lists(st.tuples(st.sampled_from(FUZZ_FIELDS), FUZZ_VALUES), max_size=10))
def test_the_roadmap_form_never_answers_with_a_server_error(done, form):
    data = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    response = done.client.post(url(done), data)
    assert response.status_code in {303, 400}, data


@pytest.mark.parametrize(
    ("typed", "kept", "expected"),
    [
        ("03/2027", "", date(2027, 3, 1)),
        (" 3 / 2027 ", "", date(2027, 3, 1)),
        ("2027-03", "", date(2027, 3, 1)),
        ("", "", None),
        ("11/2026", "11/2026", date(2026, 11, 1)),  # past, but the month already saved
        ("12/2029", "", date(2029, 12, 1)),  # 36 months ahead: the last one accepted
    ],
)
def test_months_accepted(typed, kept, expected):
    assert parse_month(typed, date(2026, 12, 3), kept=kept) == expected


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("11/2026", ""), ("11/2026", "10/2026"), ("01/2030", ""), ("00/0000", ""),
     ("01/0000", ""), ("13/2027", ""), ("2027/03", ""), ("mars 2027", "")],
)  # fmt: skip
def test_months_refused(typed, kept):
    with pytest.raises(ValidationError):
        parse_month(typed, date(2026, 12, 3), kept=kept)


def test_a_saved_month_that_has_passed_can_be_kept(done, catalogue):
    roadmap = roadmap_get_or_create(response=done.response, scores={})
    past = month_add(timezone.localdate().replace(day=1), -2)
    roadmap_save(roadmap=roadmap, targets={},
                 items=[{"action": catalogue[0], "target_month": past}])  # fmt: skip
    kept = done.client.post(url(done), form_data(action_1=catalogue[0].pk, mois_1=f"{past:%m/%Y}"))
    assert kept.status_code == 303
    assert roadmap.items.get().target_month == past
    moved = done.client.post(url(done), form_data(action_1=catalogue[0].pk, mois_1=month(-1)))
    assert moved.status_code == 400 and "Ce mois est passé" in text(moved)
