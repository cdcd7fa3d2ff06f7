"""/sources/: every source the site cites, what is taken from each and where."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from observatory.models import Indicator, Observation, Source
from resources.models import Resource


def load_all():
    for name in ("01_taxonomy", "02_resources", "03_cases", "05_observatory"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


def test_every_source_is_listed_with_what_is_cited_and_where(client, db):
    load_all()
    html = client.get("/sources/").content.decode()
    for source in Source.objects.all():
        assert escape(source.title) in html, source.title
    for indicator in Indicator.objects.filter(observations__isnull=False).distinct():
        assert indicator.get_absolute_url() in html
    assert "69\u00a0% (Citoyens, PHARE 2015)" in html  # what is cited, with its wave
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
