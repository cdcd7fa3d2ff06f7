"""The directory: a profile proposed with consent, confirmed from the e-mailed link
(double opt-in), moderated in the admin, and only then public; the address never shown;
the magic link edits (back to moderation) or deletes everything at once."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from network import services
from network.enums import ProfileStatus
from network.filters import ProfileFilterSet
from network.models import Profile, RelayMessage
from network.services import manage_link
from resources.models import Theme
from territories.models import Commune
from tests.network.factories import ProfileFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

FORM = {
    "profile_type": "structure",
    "name": "Les Labos des alliances",
    "organisation": "Association des Labos",
    "structure_kind": "association",
    "trades": ["dialogue-territorial", "accompagnements"],
    "regions": [],
    "departements_text": "78",
    "communes_text": "Les Mureaux, 69100",
    "presentation": "Nous animons le **dialogue** entre acteurs.",
    "website": "https://labos.example.org/",
    "email": "camille@example.org",
    "consent": "on",
}


def propose(client, **fields):
    return client.post("/reseau/proposer/", FORM | fields)


def link_in(message, marker: str) -> str:
    line = next(line for line in message.body.splitlines() if marker in line)
    return re.search(r"http://testserver(\S+)", line)[1]


def test_a_proposal_is_public_only_once_confirmed_and_published(
    client, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the cached list follows
        response = propose(client)
    assert response.status_code == 303
    assert response["Location"] == "/reseau/proposer/envoyee/"
    assert "Vérifiez vos e-mails" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    profile = Profile.objects.get()
    assert profile.status == ProfileStatus.PENDING
    assert profile.region_codes == ["11", "84"]  # Les Mureaux (78), Villeurbanne (69)
    assert profile.departement_codes == ["69", "78"]
    assert {c.name for c in profile.communes.all()} == {"Les Mureaux", "Villeurbanne"}

    def public():
        listing = client.get("/reseau/").content.decode()
        return profile.name in listing, client.get(f"/reseau/{profile.slug}/").status_code

    def staff_sees():
        return profile.name in editor_client.get("/admin/network/profile/").content.decode()

    assert public() == (False, 404) and not staff_sees()
    link = link_in(message, "/reseau/confirmer/")
    assert client.get(link).status_code == 200  # a mail scanner opening it confirms nothing
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 303
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.CONFIRMED
    assert "L’équipe la relit avant de la publier" in client.get(link).content.decode()
    assert public() == (False, 404) and staff_sees()
    assert profile.slug not in client.get("/sitemap.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/network/profile/", {"action": "publish", "_selected_action": [profile.pk]}
        )
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    assert public() == (True, 200)
    assert f"/reseau/{profile.slug}/" in client.get("/sitemap.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/network/profile/", {"action": "refuse", "_selected_action": [profile.pk]}
        )
    assert public() == (False, 404)


def test_wrong_proposals_get_french_errors_keep_what_was_typed_and_send_nothing(client):
    response = propose(
        client,
        email="pas-une-adresse",
        consent="",
        name="",
        website="labos",
        departements_text="69, 999",
        communes_text="Saint-Denis, Introuvableville",
        presentation="Écrivez-moi à moi@example.org ou au 06 12 34 56 78.",
    )
    assert response.status_code == 400
    text = response.content.decode()
    for error in (
        "Cette adresse e-mail n’est pas valide",
        "Cochez cette case pour proposer la fiche.",
        "Indiquez le nom à afficher.",
        "Cette adresse web n’est pas valide",
        "Numéro de département inconnu\u00a0: 999",
        "Commune introuvable ou ambiguë\u00a0: Saint-Denis, Introuvableville",
        "Retirez l’adresse e-mail ou le numéro de téléphone",
    ):
        assert error in text, error
    assert 'value="pas-une-adresse"' in text and "Introuvableville" in text
    assert not mail.outbox and not Profile.objects.exists()
    assert propose(client, communes_text="Saint-Denis (93)").status_code == 303


def test_a_robot_filling_the_honeypot_is_answered_as_anyone_and_nothing_is_kept(client):
    assert propose(client, reference="http://spam.example").status_code == 303
    assert not mail.outbox and not Profile.objects.exists()


def test_no_address_is_shown_in_any_page_sitemap_or_admin_list(client, editor_client):
    profile = ProfileFactory(email="secret.catalyseur@example.org")
    ProfileFactory(email="autre.secret@example.org", name="Autre fiche")
    pages = [
        "/reseau/",
        "/reseau/?region=84",
        f"/reseau/{profile.slug}/",
        "/sitemap.xml",
        "/plan-du-site/",
        "/admin/network/profile/",
        f"/admin/network/profile/{profile.pk}/change/",
    ]
    for path in pages:
        http = editor_client if path.startswith("/admin/") else client
        response = http.get(path)
        assert response.status_code == 200, path
        assert "secret" not in response.content.decode(), path
        assert "@example.org" not in response.content.decode(), path
    response = client.get("/sitemap-reseau.xml")
    assert response.status_code in (200, 404)
    for path in ("/ressources/flux/", "/api/ressources/", "/agenda/flux/"):
        response = client.get(path)
        assert "secret" not in response.content.decode(), path


def test_the_manage_link_is_sent_only_to_a_known_address_with_the_same_answer(client):
    profile = ProfileFactory(email="camille@example.org")
    ProfileFactory(pending=True, email="pending@example.org")
    known = client.post("/reseau/gerer/", {"email": "Camille@example.org"})
    unknown = client.post("/reseau/gerer/", {"email": "inconnu@example.org"})
    unconfirmed = client.post("/reseau/gerer/", {"email": "pending@example.org"})
    assert known["Location"] == unknown["Location"] == unconfirmed["Location"]
    assert known["Location"] == "/reseau/gerer/envoye/"
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    link = link_in(message, "/reseau/gerer/")
    assert link == f"/reseau/gerer/{manage_link(profile)}/"
    page = client.get(link)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert "relue par l’équipe" in page.content.decode()
    bad = client.post("/reseau/gerer/", {"email": "x"})
    assert bad.status_code == 400 and "n’est pas valide" in bad.content.decode()


def test_an_edit_goes_back_to_moderation(client):
    profile = ProfileFactory()
    link = f"/reseau/gerer/{manage_link(profile)}/"
    data = {k: v for k, v in FORM.items() if k not in ("email", "consent")}
    response = client.post(link, data | {"name": "Nouveau nom", "action": "enregistrer"})
    assert response.status_code == 303
    profile.refresh_from_db()
    assert profile.name == "Nouveau nom" and profile.status == ProfileStatus.CONFIRMED
    assert "Vos modifications sont enregistrées" in client.get(link).content.decode()
    assert client.get(f"/reseau/{profile.slug}/").status_code == 404
    wrong = client.post(link, data | {"name": "", "website": "x"})
    assert wrong.status_code == 400 and "Indiquez le nom à afficher." in wrong.content.decode()


def test_deleting_erases_the_profile_its_traces_and_its_history(client, editor_client):
    profile = ProfileFactory(email="camille@example.org")
    profile.resources.add(ResourceFactory())
    RelayMessage.objects.create(profile=profile, sender_hash="x" * 64)
    LogEntry.objects.create(
        user_id=editor_client.session["_auth_user_id"],
        content_type=ContentType.objects.get_for_model(Profile),
        object_id=str(profile.pk),
        object_repr=profile.name,
        action_flag=CHANGE,
    )
    other = ProfileFactory()
    link = f"/reseau/gerer/{manage_link(profile)}/"
    response = client.post(link, {"action": "supprimer"})
    assert response["Location"] == "/reseau/gerer/supprimee/"
    assert "Il n’en reste rien" in client.get(response["Location"]).content.decode()
    assert list(Profile.objects.all()) == [other]
    assert not RelayMessage.objects.exists()
    assert not LogEntry.objects.filter(object_repr=profile.name).exists()
    assert not Profile.resources.through.objects.filter(profile_id=profile.pk).exists()
    assert client.get(link).status_code == 404


def test_a_wrong_or_expired_manage_link_is_refused(client, settings):
    profile = ProfileFactory()
    for link in ("faux", f"{profile.pk}:abc:def", manage_link(profile)[:-2] + "xx"):
        response = client.get(f"/reseau/gerer/{link}/")
        assert response.status_code == 404
        assert "Demandez un nouveau lien" in response.content.decode()
    old = manage_link(profile)
    from network import services

    settings_age = services.MANAGE_LINK_MAX_AGE
    try:
        services.MANAGE_LINK_MAX_AGE = -1
        assert client.get(f"/reseau/gerer/{old}/").status_code == 404
    finally:
        services.MANAGE_LINK_MAX_AGE = settings_age


def test_a_profile_page_lists_its_published_cases_and_resources(client):
    profile = ProfileFactory()
    case = ResourceFactory(title="Un cas de Lyon", case=True)
    guide = ResourceFactory(title="Un guide utile")
    hidden = ResourceFactory(title="Un brouillon", draft=True)
    profile.resources.add(case, guide, hidden)
    page = client.get(f"/reseau/{profile.slug}/").content.decode()
    assert "Cas pratiques liés" in page and "Un cas de Lyon" in page
    assert "Ressources liées" in page and "Un guide utile" in page
    assert "Un brouillon" not in page


def relay(client, profile, **fields):
    data = {"email": "visiteur@example.org", "message": "Bonjour, échangeons."} | fields
    return client.post(f"/reseau/{profile.slug}/contact/", data)


def test_a_message_is_relayed_by_email_with_the_sender_as_reply_to(client):
    profile = ProfileFactory(email="camille@example.org")
    response = relay(client, profile)
    assert response["Location"] == f"/reseau/{profile.slug}/contact/envoye/"
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert message.reply_to == ["visiteur@example.org"]
    assert "Bonjour, échangeons." in message.body
    (record,) = RelayMessage.objects.all()
    assert record.profile == profile and "visiteur" not in record.sender_hash
    page = client.get(response["Location"]).content.decode()
    assert "Votre message a été transmis" in page and "camille@" not in page


def test_relay_errors_are_in_french_and_the_honeypot_sends_nothing(client):
    profile = ProfileFactory()
    response = relay(client, profile, email="x", message="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Cette adresse e-mail n’est pas valide" in text and "Écrivez votre message." in text
    assert relay(client, profile, reference="robot").status_code == 303
    assert not mail.outbox and not RelayMessage.objects.exists()
    assert relay(client, ProfileFactory(pending=True)).status_code == 404


def test_relay_is_rate_limited_per_sender_and_per_profile(client, settings):
    settings.DIAGNOSTIC_EMAILS_PER_HOUR = "1000"  # the per-address limit of the site
    first, second = ProfileFactory(), ProfileFactory()
    for _ in range(services.RELAY_PER_SENDER_PER_DAY):
        assert relay(client, first).status_code == 303
    refused = relay(client, second)
    assert refused.status_code == 429
    assert "Vous avez déjà envoyé 5 messages aujourd’hui" in refused.content.decode()
    assert relay(client, second, email="VISITEUR@example.org").status_code == 429
    for index in range(services.RELAY_PER_PROFILE_PER_DAY - services.RELAY_PER_SENDER_PER_DAY):
        assert relay(client, first, email=f"v{index}@example.org").status_code == 303
    full = relay(client, first, email="nouveau@example.org")
    assert full.status_code == 429
    assert "Cette fiche a reçu beaucoup de messages" in full.content.decode()
    assert 'value="nouveau@example.org"' in full.content.decode()  # nothing typed is lost
    assert relay(client, second, email="nouveau@example.org").status_code == 303
    assert len(mail.outbox) == services.RELAY_PER_PROFILE_PER_DAY + 1


def test_relay_records_and_unconfirmed_proposals_are_purged_by_a_daily_job():
    from procrastinate.contrib.django import app

    from network.tasks import directory_purge_task

    app.perform_import_paths()
    schedule = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert schedule["directory_purge"] == "50 1 * * *"
    now = timezone.now()
    profile = ProfileFactory()
    old, recent = (RelayMessage.objects.create(profile=profile, sender_hash=h) for h in "ab")
    RelayMessage.objects.filter(pk=old.pk).update(sent_at=now - timedelta(days=31))
    RelayMessage.objects.filter(pk=recent.pk).update(sent_at=now - timedelta(days=29))
    stale, fresh = ProfileFactory(pending=True), ProfileFactory(pending=True)
    Profile.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=8))
    assert directory_purge_task(timestamp=0) == 2
    assert list(RelayMessage.objects.all()) == [recent]
    assert set(Profile.objects.all()) == {profile, fresh}


def test_facets_filter_and_count_with_each_facets_own_filter_left_out(client):
    theme = Theme.objects.create(name="Dialogue territorial", slug="dialogue")
    a = ProfileFactory(region_codes=["84"], trades=["dialogue-territorial"])
    a.themes.add(theme)
    ProfileFactory(region_codes=["84", "11"], trades=["accompagnements"])
    ProfileFactory(region_codes=["53"], trades=["dialogue-territorial"], structure_kind="fondation")
    ProfileFactory(confirmed=True, region_codes=["84"])  # not published: never counted
    filterset = ProfileFilterSet({"region": ["84"], "metier": ["dialogue-territorial"]})
    assert list(filterset.qs) == [a]
    facets = {f.param: {v.value: v.count for v in f.values if v.count} for f in filterset.facets}
    assert facets["region"] == {"84": 1, "53": 1}  # under the trade filter only
    assert facets["metier"] == {"dialogue-territorial": 1, "accompagnements": 1}
    assert facets["theme"] == {"dialogue": 1}
    page = client.get("/reseau/?theme=dialogue&region=inconnue").content.decode()
    assert "1 fiche" in page and a.name in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_and_a_profile_page_read_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    theme = Theme.objects.create(name="Dialogue", slug="dialogue")
    resource = ResourceFactory()
    lyon = Commune.objects.get(code="69123")
    for _ in range(count):
        profile = ProfileFactory()
        profile.communes.add(lyon)
        profile.themes.add(theme)
        profile.resources.add(resource)
    client.get("/reseau/")  # the region names, read once per process
    with django_assert_num_queries(12):  # 11 and the directory's and library's versions
        assert client.get("/reseau/?metier=dialogue-territorial").status_code == 200
    with django_assert_num_queries(7):
        assert client.get(f"/reseau/{profile.slug}/").status_code == 200


def test_the_list_is_cached_and_follows_every_write(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    profile = ProfileFactory(name="Première fiche")
    assert "Première fiche" in client.get("/reseau/").content.decode()
    with django_assert_num_queries(1):  # the versions, then the cached page
        assert "Première fiche" in client.get("/reseau/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.profiles_refuse(Profile.objects.filter(pk=profile.pk))
    assert "Première fiche" not in client.get("/reseau/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        profile.status = ProfileStatus.PUBLISHED
        profile.save()
    assert "Première fiche" in client.get("/reseau/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_delete(profile=profile)
    assert "Première fiche" not in client.get("/reseau/").content.decode()


def test_the_profiles_near_a_commune_come_closest_first_in_one_query(django_assert_num_queries):
    lyon = Commune.objects.get(code="69123")
    elsewhere = ProfileFactory(name="A Bretagne", region_codes=["53"], departement_codes=["35"])
    region = ProfileFactory(name="B région", region_codes=["84"], departement_codes=["38"])
    departement = ProfileFactory(name="C département", region_codes=["84"])  # 69
    commune = ProfileFactory(name="D Lyon", region_codes=["84"])
    commune.communes.add(lyon)
    ProfileFactory(confirmed=True, name="E à modérer", region_codes=["84"])
    with django_assert_num_queries(1):
        near = list(Profile.objects.near(lyon)[:3])
    assert near == [commune, departement, region]
    assert elsewhere not in Profile.objects.near(lyon)


def test_staff_edit_a_profile_in_french_and_its_territory_follows(editor_client):
    profile = ProfileFactory(region_codes=[], departement_codes=[])
    url = f"/admin/network/profile/{profile.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'type="checkbox" name="trades" value="gestion-d-un-lieu"' in page
    data = {
        "name": "Nouveau nom", "slug": profile.slug, "profile_type": "structure",
        "organisation": "", "structure_kind": "", "trades": ["gestion-d-un-lieu"],
        "regions": ["53"], "departements": [], "communes": ["69123"],
        "presentation": "", "website": "", "resources": [], "themes": [],
    }  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.trades == ["gestion-d-un-lieu"] and profile.name == "Nouveau nom"
    assert profile.region_codes == ["53", "84"] and profile.departement_codes == ["69"]
    assert profile.email.endswith("@example.org")  # never in the form, kept
