"""What a new gunicorn worker does before it serves (gunicorn.conf.py post_worker_init):
what every process computes once, done before the first visitor rather than in his
request.

- compile_templates(): every template of the site, Django's and Jinja2's: 112 templates
  in 0.49 s in a fresh process on the 100k bench database. The first request of a fresh
  process then went from 75 to 12 ms for a diagnostic step, from 72 to 28 ms for a
  search, from 559 to 354 ms for the results page (in-process, first request). Both
  engines keep what they compiled for the life of the process (Django's cached loader
  when DEBUG is off, Jinja2's template cache).
- load_urls(): the URLconf (which imports every app's views) and its reverse lookups,
  and the layout's links (LAYOUT_URLS): 0.1 s of the first page of a process, measured
  on the observatory's dashboard (cProfile, fresh process, templates compiled).

The journeys of `make bench` start 50 visitors within 2 s on new processes: in their
first 5-10 s the site served 20-30 req/s with a p50 of 400-700 ms, the rest of the
minute 150-165 req/s (locust's history). The aggregates those first requests computed
in every process are now shared (rameau_site/caching.py SharedTimedValues)."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def warm_up() -> None:
    started = time.monotonic()
    count = compile_templates()
    load_urls()
    logger.info("%d gabarits compilés, adresses chargées en %.2f s", count,
                time.monotonic() - started)  # fmt: skip


def compile_templates() -> int:
    """Load (so compile and keep) every template under templates/: the `.jinja` ones
    with Jinja2, the others with Django's engine. Returns how many."""
    count = 0
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        engine = engines["jinja2"] if path.suffix == ".jinja" else engines["django"]
        try:
            engine.get_template(path.relative_to(TEMPLATES).as_posix())
        except TemplateSyntaxError:
            logger.exception("Gabarit invalide : %s", path)
            continue
        count += 1
    return count


def load_urls() -> None:
    """Import the URLconf, fill the reverse lookups of every namespace, and keep the
    layout's links (what the first `reverse()` and the first page's header do)."""
    from rameau_site.context_processors import layout_urls

    def fill(resolver) -> None:
        resolver.reverse_dict  # noqa: B018 (a property that fills the lookups)
        for _prefix, namespace in resolver.namespace_dict.values():
            fill(namespace)

    fill(get_resolver())
    layout_urls()
