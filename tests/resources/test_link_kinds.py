"""External links say what they are: the document itself, or only the publisher's site."""

import pytest

from resources.link_kinds import link_kind, link_kind_label
from resources.models import Resource
from tests.resources.factories import ResourceFactory
from tests.site.text import visible_text

URLS = {
    "https://www.lerameau.fr/": "site",
    "https://www.lerameau.fr": "site",
    "http://observatoire-des-partenariats.fr/": "site",
    "https://www.odd17.org/fr/": "site",
    "https://www.exemple.fr/index.html": "site",
    "https://www.exemple.fr/accueil": "site",
    "https://www.exemple.fr/?utm_source=x": "site",
    "https://WWW.EXEMPLE.FR/EN/": "site",
    "https://www.lerameau.fr/wp-content/uploads/2018/etude.pdf": "document",
    "https://www.exemple.fr/ressources/guide-du-dialogue/": "document",
    "https://www.coursera.org/essec": "document",
    "https://www.exemple.fr/france/": "document",
    "https://www.exemple.fr/index.html/guide": "document",
    "": "",
}


@pytest.mark.parametrize(("url", "kind"), URLS.items())
def test_the_kind_of_a_link_comes_from_its_address(url, kind):
    assert link_kind(url) == kind


def test_the_labels_say_document_pdf_or_publisher_site():
    assert link_kind_label("https://www.lerameau.fr/") == "Site de l’éditeur"
    assert link_kind_label("https://exemple.fr/etude.PDF") == "Document (PDF)"
    assert link_kind_label("https://exemple.fr/guide/") == "Document"
    assert link_kind_label("") == ""


def test_postgresql_and_python_agree_on_home_pages(db):
    from resources.admin import ToCompleteFilter

    for n, url in enumerate(u for u in URLS if u):
        ResourceFactory(slug=f"lien-{n}", external_url=url)
    in_database = set(
        Resource.objects.filter(ToCompleteFilter.HOME_PAGE_LINK).values_list(
            "external_url", flat=True
        )
    )
    assert in_database == {url for url, kind in URLS.items() if kind == "site"}


def test_staff_filter_the_resources_to_complete(administrator_client, db):
    ResourceFactory(title="Accueil seulement", external_url="https://www.lerameau.fr/")
    ResourceFactory(title="Sans année", year=None, external_url="https://exemple.fr/guide/")
    ResourceFactory(title="Sans rien", external_url="")
    ResourceFactory(title="Complète", external_url="https://exemple.fr/etude.pdf")

    def listed(value):
        response = administrator_client.get("/admin/resources/resource/", {"a_completer": value})
        return {r.title for r in response.context["cl"].result_list}

    assert listed("tout") == {"Accueil seulement", "Sans année", "Sans rien"}
    assert listed("lien-accueil") == {"Accueil seulement"}
    assert listed("sans-annee") == {"Sans année"}
    assert listed("sans-document") == {"Accueil seulement", "Sans rien"}
    page = administrator_client.get("/admin/resources/resource/").content.decode()
    assert "à compléter" in page and "Lien vers la page d’accueil d’un site" in page
    assert "site de l’éditeur" in page and "document" in page


def test_the_page_says_when_the_link_is_only_the_publisher_site(client, db):
    ResourceFactory(slug="accueil", title="Guide A", external_url="https://www.lerameau.fr/")
    ResourceFactory(slug="direct", title="Guide B", external_url="https://exemple.fr/b.pdf")

    home = client.get("/ressources/accueil/").content.decode()
    assert "Site de l’éditeur" in home and "pas directement à la ressource" in home
    direct = client.get("/ressources/direct/").content.decode()
    assert "Consulter le document (PDF)" in direct and "page d’accueil de l’éditeur" not in direct


def test_cards_in_the_catalogue_say_what_their_link_leads_to(client, db):
    ResourceFactory(title="Guide A", external_url="https://www.lerameau.fr/")
    ResourceFactory(title="Guide B", external_url="https://exemple.fr/guide/")
    ResourceFactory(title="Guide C", external_url="")

    text = visible_text(client.get("/ressources/", {"tri": "titre"}).content.decode())

    assert "Guide A Un résumé de la ressource. 2020 Lien\u00a0: Site de l’éditeur" in text
    assert "Guide B Un résumé de la ressource. 2020 Lien\u00a0: Document" in text
    assert text.count("Lien\u00a0:") == 2
