"""Settings for the whole site, driven by environment variables (see README.md).

DJANGO_DEBUG=1 is for development only. Without it the site runs hardened for
production and DJANGO_SECRET_KEY is required.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from rameau_site import db_router, embedded_db, logs

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire en production (DJANGO_DEBUG absent ou 0)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_filters",
    "simple_history",
    "import_export",
    "rameau_site.login_lockout.LoginLockoutConfig",  # django-axes
    "territories",
    "resources",
    "kit",
    "network",
    "diagnostics",
    "observatory",
    "alerts",
    "procrastinate.contrib.django",  # the task queue: rameau_site/tasks.py
    "rameau_site.apps.SiteConfig",  # system checks of the settings (rameau_site/checks.py)
]

MIDDLEWARE = [
    "rameau_site.logs.RequestLogMiddleware",  # request id, one log line per request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rameau_site.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rameau_site.db_router.ReplicaReadsMiddleware",  # reads from a replica or the primary
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

# bench/ serves the site with its floor view added (see bench/README.md).
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "rameau_site.urls")
WSGI_APPLICATION = "rameau_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rameau_site.context_processors.navigation",
            ],
        },
    },
    {
        # Only the `*.jinja` fragments, named with `using="jinja2"`: see rameau_site/jinja2.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "rameau_site.jinja2.environment"},
    },
]

# Database: an external PostgreSQL when DATABASE_URL is set, else the embedded server
# in var/pgdata (started by `make run` / `make test`), reached through its Unix socket.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("RAMEAU_EMBEDDED_DB_NAME", embedded_db.DATABASE_NAME),
            "USER": embedded_db.USER,
            "HOST": str(embedded_db.socket_dir()),
        }
    }
# Persistent connections matter for throughput; health checks let the site recover by
# itself when the database comes back after an outage.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
# The data fits in memory: random reads cost about as much as sequential ones. With the
# default (4) the planner scans the whole table for a frequent search term instead of
# using its full-text index, five times slower (measured with bench/ at 100k rows).
DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
# Server-side prepared statements: a query run 5 times on a connection (psycopg's
# default threshold) is parsed and planned once, then only executed. Planning was most
# of PostgreSQL's time on the small pages: the parcours progress query 0.69-0.93 ms of
# wall time -> 0.25-0.31, the step page's lookup 0.56 -> 0.39-0.45 (200 runs, best of 5,
# 100k bench database). Off (DJANGO_DB_PREPARED=0) behind a pooler in transaction mode
# (PgBouncer without max_prepared_statements), which cannot keep them.
if env_bool("DJANGO_DB_PREPARED", True):
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
# Read replicas (streaming standbys): anonymous reads of public pages go to one of them,
# everything else to the primary (rameau_site/db_router.py says exactly what).
DATABASES.update(
    db_router.replica_databases(env_list("DATABASE_REPLICA_URLS"), DATABASES["default"])
)
DATABASE_ROUTERS = ["rameau_site.db_router.ReplicaRouter"]
# After a visitor's POST, their reads stay on the primary this long (a cookie).
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state (cache, sessions) lives in the database so that several app servers
# can share it; nothing but media is kept on disk.
CACHES = {
    # The content versions, the aggregates shared by every process, the import files
    # waiting for their confirmation: a few dozen rows. Django's database cache deletes
    # a third of its rows by key order once it holds more than MAX_ENTRIES (300 by
    # default): the visitors' rate-limit counters, one row per address and form, would
    # have had it delete the versions (every page cache and search index rebuilt) and
    # the waiting imports. They have a table of their own below.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rameau_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    # django-ratelimit's counters (RATELIMIT_USE_CACHE), shared by every app server. When
    # it is full, the expired ones go first, then a third of the others: some visitors
    # then get their hour's allowance again, which is all a cull can cost here.
    "counters": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rameau_counters",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Rendered public pages, per process; their keys carry a version kept in the
    # shared cache above, so an edit on one server invalidates them on all.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# After an edit, the old library index keeps serving while a thread builds the new one
# (resources/index.py). The tests turn it off: their data is not committed, so only
# the request's own connection sees it.
LIBRARY_INDEX_BACKGROUND = os.environ.get("LIBRARY_INDEX_BACKGROUND", "1") == "1"

# Staff logins: django-axes locks a username + address out after 5 failures, for 30
# minutes (a French page says so); the session key is renewed at every login (Django).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rameau_site.login_lockout.locked_out"
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_VERBOSE = False

# Rate limits (django-ratelimit, counters in a shared cache of their own): a French 429 page.
RATELIMIT_USE_CACHE = "counters"
RATELIMIT_VIEW = "rameau_site.views.rate_limited"
RATELIMIT_IP_META_KEY = "rameau_site.views.client_ip"
DIAGNOSTIC_STARTS_PER_HOUR = os.environ.get("DIAGNOSTIC_STARTS_PER_HOUR", "30")
DIAGNOSTIC_EMAILS_PER_HOUR = os.environ.get("DIAGNOSTIC_EMAILS_PER_HOUR", "5")
CONTACT_MESSAGES_PER_HOUR = os.environ.get("CONTACT_MESSAGES_PER_HOUR", "5")
# Unfinished diagnostics untouched for this many days are deleted by
# `manage.py purge_diagnostics` (run it daily).
DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS = int(os.environ.get("DIAGNOSTIC_RETENTION_DAYS", "180"))

# Background tasks: procrastinate's queue lives in this same database (procrastinate_*
# tables); `manage.py procrastinate worker` runs them and defers the periodic jobs
# declared in rameau_site/tasks.py (see README.md, « Tâches de fond »).
PROCRASTINATE_WORKER_DEFAULTS = {
    # A sent e-mail's job (the visitor's address, the text) is deleted once sent.
    "delete_jobs": "successful",
    "concurrency": int(os.environ.get("RAMEAU_WORKER_CONCURRENCY", "2")),
    # Each worker writes a heartbeat; one silent this long is dead and its running
    # jobs are retried (rameau_site/tasks.py), checked every STALLED_JOBS_CHECK_SECONDS.
    "update_heartbeat_interval": float(os.environ.get("RAMEAU_WORKER_HEARTBEAT_SECONDS", "10")),
    "stalled_worker_timeout": float(os.environ.get("RAMEAU_WORKER_STALLED_SECONDS", "30")),
    # A job deferred during a request logs that request's id (rameau_site/logs.py).
    "worker_middleware": [logs.job_request_id],
}
STALLED_JOBS_CHECK_SECONDS = int(os.environ.get("RAMEAU_STALLED_CHECK_SECONDS", "30"))
# Finished jobs (failed e-mails with their address) are forgotten after this many days.
JOBS_KEPT_DAYS = int(os.environ.get("RAMEAU_JOBS_KEPT_DAYS", "30"))
# Run a task inside the call that enqueues it, errors included (the unit tests).
TASKS_IMMEDIATE = env_bool("RAMEAU_TASKS_IMMEDIATE", False)

# Imports run in one transaction: a file with one bad line writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Between the dry run and the confirmation the file waits in the shared cache, so any
# app server can apply it.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French, Paris time, French number and date formats (12 345, 3 mai 2018).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded documents: local files, or an S3-compatible bucket when DJANGO_S3_BUCKET is
# set (credentials from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables).
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# E-mail (Django 6.1 mailers): the console in development, SMTP in production.
EMAIL_SMTP_OPTIONS = {
    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
    "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
    "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
    "timeout": 10,
}
_mail_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": EMAIL_SMTP_OPTIONS if _mail_backend.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Centre de ressources <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. The CSP applies in every mode: no inline script or style, ever.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "rameau_site.views.csrf_failure"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix binds the cookies to this exact host, over HTTPS, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Who publishes this instance and how to reach its team, shown on the legal pages and
# used by the contact form. In production both are required (`check --deploy` warns).
SITE_PUBLISHER = os.environ.get("DJANGO_SITE_PUBLISHER", "").strip() or (
    "Instance de démonstration : l’organisme qui met ce centre de ressources en ligne "
    "indique ici son nom, son adresse, son hébergeur et son directeur de publication."
    if DEBUG
    else ""
)
SITE_CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "")

# In production one JSON line per request and per record, with its request id
# (rameau_site/logs.py); RAMEAU_REQUEST_LOG=0 keeps the request lines out (a proxy's
# access log may already have them).
REQUEST_LOG = env_bool("RAMEAU_REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "rameau_site.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"} | ({} if DEBUG else {"formatter": "json"})
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "rameau.requests": {"level": "INFO"},
        # When each process has built or rebuilt the library's search index, and how long
        # it took (seconds at 100k resources, in a thread beside the requests).
        "resources.index": {"level": "INFO"},
        # Each task's start, end and retries (the worker's own lines).
        "procrastinate": {"level": os.environ.get("RAMEAU_TASK_LOG_LEVEL", "INFO")},
        # Not the tasks' registration, which every command and process start repeats.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}
