import pytest

from resources.models import Resource
from tests.resources.factories import ThemeFactory

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
            "tags": "évaluation, alliance",
            "audiences": ["collectivites"],
            "usages": ["evaluer"],
            "status": "publie",
            "published_at_0": "01/01/2025",
            "published_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(slug="guide-evaluation-partagee")
    assert "<h2>Pourquoi</h2>" in resource.body_html
    assert "<p>Pour apprendre <strong>ensemble</strong>.</p>" in resource.body_html
    assert "script" not in resource.body_html
    assert set(resource.search_tags.split()) == {"alliance", "évaluation"}
    html = client.get("/ressources/", {"q": "evaluation partagee"}).content.decode()
    assert "guide-evaluation-partagee" in html


def test_publishing_without_a_date_is_refused_with_a_message(admin_client, db):
    response = admin_client.post(
        "/admin/resources/resource/add/",
        {
            "title": "Sans date",
            "slug": "sans-date",
            "kind": "guide",
            "summary": "x",
            "language": "fr",
            "status": "publie",
        },  # fmt: skip
    )

    assert response.status_code == 200
    assert "Indiquez la date de publication." in response.content.decode()
    assert not Resource.objects.filter(slug="sans-date").exists()
