# Co-construction territoriale: set-up, run and test in two commands.
#   make run    install, start the embedded PostgreSQL, migrate, load the demo, serve
#               (the development server and the task worker, stopped together)
#   make test   the same set-up, then the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install db migrate demo run stop superuser test check format lock territories-data bench backup restore clean

help:
	@echo "make run        installe, démarre la base, migre, charge la démo et sert http://$(HOST):$(PORT)"
	@echo "make test       toute la suite de tests (PostgreSQL réel, Chromium sans interface)"
	@echo "make check      ruff, migrations manquantes, check --deploy en production"
	@echo "make superuser  crée le premier compte administrateur"
	@echo "make stop       arrête le PostgreSQL embarqué"
	@echo "make bench      mesures de performance (voir bench/README.md)"
	@echo "make backup     sauvegarde la base (pg_dump) dans $(BACKUP)"
	@echo "make restore    restaure la base depuis $(BACKUP) (en une transaction)"

# A Python >= 3.12, found by running each candidate: a pyenv shim can exist on PATH
# and still fail, so `command -v` proves nothing.
$(PY):
	@py=""; \
	pyenv_root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
	for cand in $$PYTHON python3.14 python3.13 python3.12 python3 \
	    $$(ls -d "$$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    py="$$cand"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Erreur : Python 3.12 ou plus récent est nécessaire et n'a pas été trouvé."; \
	  echo "Installez-le (par exemple avec pyenv ou le gestionnaire de paquets), ou indiquez-le : make run PYTHON=/chemin/vers/python3.12"; \
	  exit 1; fi; \
	echo "Python utilisé : $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The embedded PostgreSQL in var/pgdata, unless DATABASE_URL names another server.
db: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m rameau_site.embedded_db start; \
	else echo "Base de données externe : DATABASE_URL"; fi

migrate: export DJANGO_DEBUG ?= 1
migrate: db
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: export DJANGO_DEBUG ?= 1
demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) demo_campaign

run: export DJANGO_DEBUG ?= 1
run: demo
	@echo
	@echo "  Le site tourne sur http://$(HOST):$(PORT)/  (Ctrl+C pour l'arrêter, puis 'make stop')"
	@echo "  Pour l'administration (/admin/), créez d'abord un compte : make superuser"
	@echo "  Les e-mails et les tâches planifiées passent par le worker lancé à côté."
	@echo
	@# The task worker runs beside the server; whichever way this shell ends (Ctrl+C,
	@# the server stopping), the worker is stopped with it.
	@$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

superuser: export DJANGO_DEBUG ?= 1
superuser: migrate
	$(MANAGE) createsuperuser

stop:
	@if [ -x $(PY) ]; then $(PY) -m rameau_site.embedded_db stop; \
	else echo "Rien à arrêter."; fi

test: db
	$(PY) -m pytest $(PYTEST_ARGS)

check: db
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DJANGO_ALLOWED_HOSTS=exemple.fr DJANGO_SITE_PUBLISHER="Association Exemple, 1 rue de l’Exemple, 75000 Paris" \
	  DJANGO_CONTACT_EMAIL=equipe@exemple.fr $(MANAGE) check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate requirements.lock from pyproject.toml in a throw-away virtualenv.
lock: | $(PY)
	rm -rf var/lock-venv && $(PY) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet --upgrade pip
	$(PY) -c 'import tomllib; d = tomllib.load(open("pyproject.toml", "rb")); print("\n".join(d["project"]["dependencies"] + d["dependency-groups"]["dev"]))' > var/lock-requirements.txt
	var/lock-venv/bin/pip install --quiet -r var/lock-requirements.txt
	var/lock-venv/bin/pip freeze --all --exclude pip | LC_ALL=C sort > requirements.lock
	rm -rf var/lock-venv var/lock-requirements.txt
	@echo "requirements.lock mis à jour."

# Refresh the vendored territory reference data from the npm registry (see
# territories/data/SOURCE.md), then load it. Review and commit the changed files.
TERRITORIES_VERSION ?= 6.0.0
territories-data: db
	rm -rf var/territories && mkdir -p var/territories
	cd var/territories && npm pack --silent @etalab/decoupage-administratif@$(TERRITORIES_VERSION) && tar xzf *.tgz
	$(MANAGE) load_territories --from-package var/territories/package

# wrk (the load generator) comes from Debian's packages: installed here when missing and
# this runs as root (as .ci/run does for Chromium); locust is a dev dependency.
bench: db
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installation de wrk (générateur de charge)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk est introuvable : installez-le (Debian : sudo apt-get install wrk)."; exit 1; fi; \
	fi
	$(PY) -m bench.run $(BENCH_ARGS)

# Backup and restore of the embedded server's database, or DATABASE_URL's.
BACKUP ?= var/sauvegardes/rameau.dump
backup: export DJANGO_DEBUG ?= 1
backup: db
	$(PY) -m rameau_site.backup dump $(BACKUP)

restore: export DJANGO_DEBUG ?= 1
restore: db
	$(PY) -m rameau_site.backup restore $(BACKUP)

clean: stop
	rm -rf var $(VENV)
