import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Resource
from tests.resources.factories import ResourceFactory, ThemeFactory
from tests.resources.staff import INLINE_MANAGEMENT, resource_form
from tests.site.text import visible_text

pytestmark = pytest.mark.ignore_template_errors  # Django's own admin templates


def test_staff_adds_a_resource_and_it_is_searchable_on_the_site(admin_client, client, db):
    theme = ThemeFactory(name="Évaluation", slug="evaluation")

    response = admin_client.post(
        "/admin/resources/resource/add/",
        {
            "title": "Guide de l’évaluation partagée",
            "slug": "guide-evaluation-partagee",
            "kind": "guide",
            "summary": "Évaluer ensemble une alliance locale.",
            "body": "## Pourquoi\n\n<script>x()</script>Pour apprendre **ensemble**.",
            "language": "fr",
            "themes": [theme.pk],
            "new_tags": "évaluation, alliance",
            "audiences": ["collectivites"],
            "usages": ["evaluer"],
            "status": "publie",
            "published_at_0": "01/01/2025",
            "published_at_1": "10:00:00",
        }
        | INLINE_MANAGEMENT,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(slug="guide-evaluation-partagee")
    assert "<h2>Pourquoi</h2>" in resource.body_html
    assert "<p>Pour apprendre <strong>ensemble</strong>.</p>" in resource.body_html
    assert "script" not in resource.body_html
    assert set(resource.search_tags.split()) == {"alliance", "évaluation"}
    html = client.get("/ressources/", {"q": "evaluation partagee"}).content.decode()
    assert "guide-evaluation-partagee" in html


def test_publishing_without_a_date_publishes_now(admin_client, client, db):
    response = admin_client.post(
        "/admin/resources/resource/add/",
        {
            "title": "Sans date",
            "slug": "sans-date",
            "kind": "guide",
            "summary": "x",
            "language": "fr",
            "status": "publie",
        }
        | INLINE_MANAGEMENT,
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(slug="sans-date")
    assert resource.published_at is not None
    assert client.get("/ressources/sans-date/").status_code == 200


def admin_list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/resources/resource/",
        "/admin/resources/resource/?lien=casse&kind__exact=guide",
        "/admin/resources/tag/",
        "/admin/resources/resource/?q=ressource",
    ],
)
def test_admin_list_queries_do_not_grow_with_the_rows(administrator_client, url, db):
    ResourceFactory.create_batch(3, tags=["un", "deux"], themes=[ThemeFactory()])
    few = admin_list_queries(administrator_client, url)
    ResourceFactory.create_batch(40, tags=["trois", "quatre"], themes=[ThemeFactory()])
    many = admin_list_queries(administrator_client, url)

    assert many == few
    assert many <= 45  # one count query per filter, whatever the rows


def test_the_history_speaks_french_labels_and_dates(administrator_client, editor_client):
    resource = ResourceFactory(draft=True, slug="guide-partenariat-local", year=2011)
    submitted = editor_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(status="en-relecture", year="2011", audiences=["collectivites"]),
    )
    assert submitted.status_code == 302
    administrator_client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        resource_form(status="publie", year="2011", published_at_0="01/12/2026",
                      published_at_1="10:00:00", audiences=["collectivites"]),
    )  # fmt: skip

    response = administrator_client.get(f"/admin/resources/resource/{resource.pk}/history/")
    text = visible_text(response.content.decode())

    table = response.content.decode().split('id="change-history"')[1].split("</thead>")[0]
    headers = re.findall(r"<th scope=\"col\">(.*?)</th>", table)
    assert headers == ["Version", "Statut", "Date", "Action", "Par", "Motif", "Changements"]
    assert "Statut\u00a0: En relecture\u00a0→ Publié" in text
    assert "Publics\u00a0: (vide)\u00a0→ Collectivités" in text
    assert "Publié le\u00a0: (vide)\u00a0→ 1er décembre 2026 à 10:00" in text
    for code in ("publie", "en-relecture", "collectivites", "None", "Changes", "+00:00"):
        assert code not in text, code


def test_deleting_a_selection_agrees_in_gender(administrator_client, db):
    ResourceFactory(tags=["mot"])  # the action menu shows only above a list with rows
    html = administrator_client.get("/admin/resources/resource/").content.decode()
    assert "Supprimer les ressources sélectionnées" in html
    html = administrator_client.get("/admin/resources/tag/").content.decode()
    assert "Supprimer les mots-clés sélectionnés" in html
