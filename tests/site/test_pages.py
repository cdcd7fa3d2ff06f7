import re

import pytest
from django.core.management import call_command
from django.urls import reverse

PUBLIC_PAGES = [
    ("home", "Construire ensemble l’avenir de son territoire"),
    ("accessibility", "Déclaration d’accessibilité"),
    ("legal_notice", "Mentions légales"),
    ("privacy", "Données personnelles"),
    ("site_map", "Plan du site"),
]


@pytest.mark.parametrize(("name", "heading"), PUBLIC_PAGES)
def test_public_page_has_one_h1_and_the_layout(client, db, name, heading):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [heading]
    assert '<html lang="fr">' in html
    assert '<a class="skip-link" href="#contenu">' in html
    assert 'id="contenu"' in html
    for label in ("Ressources", "Cas pratiques", "Diagnostic", "Observatoire"):
        assert f">{label}</a>" in html
    for footer_url in ("accessibility", "legal_notice", "privacy", "site_map"):
        assert f'href="{reverse(footer_url)}"' in html


@pytest.mark.parametrize("name", ["accessibility", "legal_notice", "privacy", "site_map"])
def test_footer_pages_have_breadcrumbs(client, name):
    html = client.get(reverse(name)).content.decode()

    assert 'aria-label="Fil d’Ariane"' in html
    assert f'<a href="{reverse("home")}">Accueil</a>' in html
    assert '<span aria-current="page">' in html


def test_home_page_needs_few_queries(client, db, django_assert_max_num_queries):
    # The key figures chosen by staff (one query) and the questionnaire in service.
    client.get(reverse("home"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_home_page_cites_a_source_for_every_key_figure(client, db):
    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)
    html = client.get(reverse("home")).content.decode()

    figures = re.findall(r'<li class="key-figure">(.*?)</li>', html, flags=re.S)
    assert len(figures) >= 4
    for figure in figures:
        assert 'class="key-figure__source">Source\u00a0:' in figure


def test_home_links_to_the_kit_four_uses(client, db):
    html = client.get(reverse("home")).content.decode()

    for usage in ("se-former", "mettre-en-oeuvre", "accompagner", "evaluer"):
        assert f'href="{reverse("kit:use", args=[usage])}"' in html  # the kit's own pages


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("resources:list", "Ressources"),
        ("resources:cases", "Cas pratiques"),
        ("diagnostics:index", "Diagnostic"),
        ("observatory:dashboard", "Observatoire"),
    ],
)
def test_navigation_marks_the_current_section(client, db, url_name, current):
    html = client.get(reverse(url_name)).content.decode()

    assert re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html) == [current]


def test_unknown_page_is_a_french_404_in_the_layout(client):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Cette page est introuvable" in html
    assert 'href="/plan-du-site/"' in html


def test_pages_refuse_unsupported_methods(client):
    assert client.post(reverse("home")).status_code in {403, 405}
    assert client.delete(reverse("home")).status_code == 405


def test_dates_and_numbers_are_french(settings):
    from django.utils import formats, timezone
    from django.utils.formats import number_format

    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    moment = timezone.datetime(2018, 5, 3)
    assert formats.date_format(moment, "DATE_FORMAT") == "3 mai 2018"
    assert number_format(12345, force_grouping=True) == "12\xa0345"


def test_admin_login_is_french_and_named_after_the_site(client, db):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Co-construction territoriale — administration" in html
    assert "Mot de passe" in html


def test_the_privacy_page_names_the_roadmap_and_the_parcours_progress_and_their_delays(client, db):
    from kit.progress import PROGRESS_RETENTION_DAYS

    page = client.get(reverse("privacy")).content.decode()
    assert "La feuille de route" in page and "Le suivi d’un parcours" in page
    assert f"après {PROGRESS_RETENTION_DAYS} jours sans modification" in page
