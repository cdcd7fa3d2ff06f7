"""Loaded by pytest before Django (`-p tests.environment` in pyproject.toml): the suite
runs the production settings (DEBUG off, hardened), on the real PostgreSQL."""

import os
import secrets
from pathlib import Path

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
# The test client and the live server speak plain HTTP; HSTS and secure cookies stay on.
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ.setdefault(
    "DJANGO_STATIC_ROOT", str(Path(__file__).resolve().parent.parent / "var" / "test-static")
)
# Uncommitted test data is seen by the test's own connection only: the library index is
# rebuilt inline (one test turns the background rebuild on with committed data).
os.environ["LIBRARY_INDEX_BACKGROUND"] = "0"
# The unit tests run on the primary alone (a replica would not see their uncommitted
# data); tests/site/test_replica.py starts a real streaming replica of its own.
os.environ.pop("DATABASE_REPLICA_URLS", None)
# No JSON line per request on stderr (the servers some tests start pipe it unread);
# tests/site/test_logs.py turns it on.
os.environ["RAMEAU_REQUEST_LOG"] = "0"
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
# Tasks (e-mails) run inside the request that enqueues them, as the view's tests expect;
# tests/site/test_task_queue.py runs the real queue and workers.
os.environ.setdefault("RAMEAU_TASKS_IMMEDIATE", "1")
# Who publishes the site and its contact address, as production requires (check --deploy).
os.environ.setdefault("DJANGO_SITE_PUBLISHER", "Association Exemple, 1 rue de l’Exemple, Paris")
os.environ.setdefault("DJANGO_CONTACT_EMAIL", "equipe@exemple.fr")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the tests themselves stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
