"""What a new gunicorn worker does before it serves (gunicorn.conf.py post_worker_init).

It compiles every template of the site, Django's and Jinja2's, so that no visitor waits
for it: 112 templates in 0.49 s in a fresh process on the 100k bench database. The
first request of a fresh process then went from 75 to 12 ms for a diagnostic step, from
72 to 28 ms for a search, from 559 to 354 ms for the results page (in-process, first
request). The journeys of `make bench` start 50 visitors within 2 s on new processes:
their first 5-10 s ran at 20-30 req/s with a p50 of 400-700 ms, the rest at 150-165 req/s
(locust's history). Both engines keep what they compiled for the life of the process
(Django's cached loader when DEBUG is off, Jinja2's template cache)."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines

logger = logging.getLogger(__name__)
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def compile_templates() -> int:
    """Load (so compile and keep) every template under templates/: the `.jinja` ones
    with Jinja2, the others with Django's engine. Returns how many."""
    started = time.monotonic()
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
    logger.info("%d gabarits compilés en %.2f s", count, time.monotonic() - started)
    return count
