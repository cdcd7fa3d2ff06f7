from urllib.parse import urlsplit

from django.apps import apps
from django.core.management import call_command

from resources.enums import Kind
from resources.models import Resource

# Sites named in ../shared/FACTS.md and seeds/: demo content links nowhere else.
SOURCED_HOSTS = {
    "www.coursera.org",
    "observatoire-des-partenariats.fr",
    "coconstructionterritoriale.wordpress.com",
    "cgetcartographie.carto.com",
    "www.lerameau.fr",
    "co-constructionterritoriale.plateformecapitalisation.org",
    "www.odd17.org",
    "www.associations.gouv.fr",
    "www.carenews.com",
    "www.banquedesterritoires.fr",
    "federation.caisse-epargne.fr",
}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("resources").get_models()}


def test_demo_content_loads_idempotently_and_honestly(db):
    call_command("load_demo", verbosity=0)
    first = row_counts()
    call_command("load_demo", verbosity=0)

    assert row_counts() == first
    published = Resource.objects.published()
    assert published.exclude(kind=Kind.CASE).count() >= 60
    assert published.filter(kind=Kind.CASE).count() >= 20
    for resource in Resource.objects.all():
        if resource.external_url:
            assert urlsplit(resource.external_url).hostname in SOURCED_HOSTS, resource.slug
        assert resource.body_html, resource.slug  # derived HTML computed at load
    for case in Resource.objects.filter(kind=Kind.CASE):
        assert case.region_id, case.slug
        if case.is_fictional:
            assert case.commune_id is None and case.territory_name, case.slug
        else:
            # A real territory is credited only with what the sources say.
            assert case.commune_id, case.slug
            assert not (case.impact_performance or case.impact_innovation or case.impact_trust)
