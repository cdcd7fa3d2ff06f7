"""A new worker compiles every template before it serves (rameau_site/warmup.py)."""

from pathlib import Path

from django.conf import settings
from django.template import engines

from rameau_site.warmup import compile_templates


def test_every_template_of_the_site_compiles_and_is_kept(caplog):
    files = [p for p in (Path(settings.BASE_DIR) / "templates").rglob("*") if p.is_file()]
    with caplog.at_level("INFO", logger="rameau_site.warmup"):
        assert compile_templates() == len(files) > 100
    assert "Gabarit invalide" not in caplog.text
    # Kept: loading one again gives the same compiled template.
    jinja = engines["jinja2"].env
    name = "includes/facets.jinja"
    assert jinja.get_template(name) is jinja.get_template(name)
