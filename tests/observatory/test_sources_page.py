"""/sources/: every source the site cites, what is taken from each and where."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from observatory.models import Indicator, KeyFigure, Observation, Source
from resources.french import french_spacing
from resources.models import Resource
from tests.site.text import visible_text


def load_all():
    for name in ("01_taxonomy", "02_resources", "03_cases", "05_observatory"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


def test_every_source_is_listed_with_what_is_cited_and_where(client, db):
    load_all()
    html = client.get("/sources/").content.decode()
    for source in Source.objects.all():
        assert escape(french_spacing(source.title)) in html, source.title
    for indicator in Indicator.objects.filter(observations__isnull=False).distinct():
        assert indicator.get_absolute_url() in html
    assert "69\u00a0% (Citoyens, PHARE 2015" in html  # what is cited, with its wave
    real = Resource.objects.published().filter(is_fictional=False)
    for resource in real:
        assert f'href="{resource.get_absolute_url()}"' in html, resource.slug
    fictional = Resource.objects.filter(is_fictional=True).first()
    assert f'href="{fictional.get_absolute_url()}"' not in html


def test_the_sources_page_is_linked_from_the_footer_and_the_site_map(client, db):
    assert 'href="/sources/"' in client.get("/plan-du-site/").content.decode()
    assert client.get("/").content.decode().count('href="/sources/"') >= 1


def test_the_sources_page_makes_the_same_queries_however_many_sources(client, db):
    load_all()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sources/").status_code == 200
        return len(queries)

    count()
    before = count()
    indicator = Indicator.objects.first()
    for index in range(5):
        source = Source.objects.create(title=f"Enquête {index}", organisation="Org")
        Observation.objects.create(
            indicator=indicator, unit=indicator.unit, wave=1990 + index, population="maires",
            value=10, source=source,
        )  # fmt: skip
    resource = Resource.objects.published().filter(is_fictional=False).first()
    for index in range(5):
        resource.pk, resource.slug = None, f"copie-{index}"
        resource.save()
    assert count() == before
    assert before <= 6


def test_the_sources_page_names_regions_key_figures_and_kinds_as_the_site_does(client, db):
    load_all()
    html = client.get("/sources/").content.decode()
    text = visible_text(html)
    # The 18 demonstration values are not a list of values with no region.
    assert "(Maires, Démonstration)" not in text
    assert "18 valeurs régionales (données de démonstration)" in text
    # A key figure says so where it is cited.
    assert (
        "69\u00a0% (Citoyens, PHARE 2015\u00a0; chiffre clé de la page d’accueil et de "
        "l’observatoire)" in text
    )
    assert text.count("chiffre clé de la page d’accueil") == KeyFigure.objects.count()
    assert "(mooc / formation)" not in text
    if Resource.objects.published().filter(is_fictional=False, kind="mooc").exists():
        assert "(MOOC / formation)" in text


def test_a_regional_value_names_its_region(db):
    from observatory.views import cited_values

    indicator = Indicator(unit="pourcent", decimals=0)
    real = Observation(indicator=indicator, value=73, population="maires", region_id="53",
                       wave=2024, pk=1)  # fmt: skip
    assert cited_values([real], {1}) == [
        "73\u00a0% (Maires, Bretagne, 2024\u00a0; chiffre clé de la page d’accueil et de "
        "l’observatoire)"
    ]
