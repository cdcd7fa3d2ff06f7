"""A new worker compiles every template and loads its URLs before it serves
(rameau_site/warmup.py)."""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver

from rameau_site import caching
from rameau_site.warmup import compile_templates, load_urls, warm_up


def test_every_template_of_the_site_compiles_and_is_kept(caplog):
    files = [p for p in (Path(settings.BASE_DIR) / "templates").rglob("*") if p.is_file()]
    with caplog.at_level("INFO", logger="rameau_site.warmup"):
        assert compile_templates() == len(files) > 100
    assert "Gabarit invalide" not in caplog.text
    # Kept: loading one again gives the same compiled template.
    jinja = engines["jinja2"].env
    name = "includes/facets.jinja"
    assert jinja.get_template(name) is jinja.get_template(name)


def test_the_urls_of_every_namespace_and_the_layout_links_are_loaded():
    caching.LAYOUT_URLS.clear()
    resolver = get_resolver()
    resolver._populated = False  # as a new process finds it
    load_urls()
    assert resolver._populated
    namespaces = [namespace for _, namespace in resolver.namespace_dict.values()]
    assert len(namespaces) >= 5 and all(namespace._populated for namespace in namespaces)
    sections, links = caching.LAYOUT_URLS.get((settings.ROOT_URLCONF, "/"))
    assert ("Observatoire", "/observatoire/") in sections and links["home"] == "/"


def test_warm_up_says_what_it_did(caplog):
    with caplog.at_level("INFO", logger="rameau_site.warmup"):
        warm_up()
    assert "gabarits compilés, adresses chargées" in caplog.text
