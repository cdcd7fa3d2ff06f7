"""Locust journeys of the site's visitors, run by `make bench` (bench/run.py) against the
benchmark server: a catalyst browses, searches and filters the library and reads the
observatory; a mayor takes the whole self-diagnostic and reads the results.

Every diagnostic a journey completes is written to the file named by
BENCH_JOURNEY_TOKENS; the run then checks that each one is in the database, completed.

With BENCH_HOSTS (comma-separated base URLs: the row with two app servers and a worker),
each visitor sends its requests to the servers in turn, as a reverse proxy without
sticky sessions would: a diagnostic started on one continues on the other. Each mayor
then also asks for their resume link by e-mail (an address made from the diagnostic's
token, written to BENCH_JOURNEY_MAILS): the run checks that the worker sent each one
exactly once.

The server runs production settings over plain HTTP, where the `__Host-` CSRF cookie is
not sent back by a client: the journeys send a CSRF secret of their own, as cookie and
form field, as the wrk POST row does.
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task

CSRF = os.environ.get("BENCH_CSRF", "")
TOKENS_FILE = os.environ.get("BENCH_JOURNEY_TOKENS", "")
HOSTS = [host for host in os.environ.get("BENCH_HOSTS", "").split(",") if host]
MAILS_FILE = os.environ.get("BENCH_JOURNEY_MAILS", "")
SEARCHES = ["alliance", "évaluation partenariale", "mecenat", "tiers-lieu", "dialogue",
            '"transition écologique"', "innovation -numérique", "ruralite"]  # fmt: skip
FACETS = ["public=collectivites", "usage=evaluer", "type=guide", "niveau=emergence",
          "public=entreprises&public=associations", "annee=2024", "region=53"]  # fmt: skip
STEP = re.compile(r"/diagnostic/([\w-]+)/etape/(\d+)/")


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.headers["Cookie"] = f"__Host-csrftoken={CSRF}"
        self.questionnaire = None
        # Each visitor starts on a server of its own, then takes them in turn.
        self.hosts = itertools.cycle(random.sample(HOSTS, len(HOSTS))) if HOSTS else None

    def at(self, path):
        return next(self.hosts) + path if self.hosts else path

    def page(self, path, name=None, expect=200):
        with self.client.get(self.at(path), name=name or path, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} au lieu de {expect}")
            return response

    def post(self, path, data, name):
        body = data | {"csrfmiddlewaretoken": CSRF}
        with self.client.post(
            self.at(path), body, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 303:
                response.failure(f"{response.status_code} au lieu de 303 : {path}")
            return response

    @task(4)
    def browse_library(self):
        self.page("/")
        listing = self.page("/ressources/")
        slugs = re.findall(r'href="/ressources/([\w-]+)/"', listing.text)
        if slugs:
            self.page(f"/ressources/{random.choice(slugs)}/", name="/ressources/<slug>/")
        self.page("/cas-pratiques/")

    @task(4)
    def search_and_filter(self):
        query = random.choice(SEARCHES)
        self.page(f"/ressources/?q={query}", name="/ressources/?q=…")
        self.page(f"/ressources/?q={query}&{random.choice(FACETS)}", name="/ressources/?q=…&…")
        self.page(f"/api/ressources/?{random.choice(FACETS)}", name="/api/ressources/?…")

    @task(2)
    def read_the_observatory(self):
        dashboard = self.page("/observatoire/")
        slugs = re.findall(r'href="/observatoire/indicateurs/([\w-]+)/"', dashboard.text)
        if slugs:
            self.page(f"/observatoire/indicateurs/{random.choice(slugs)}/",
                      name="/observatoire/indicateurs/<slug>/")  # fmt: skip

    @task(1)
    def take_the_diagnostic(self):
        if self.questionnaire is None:
            self.questionnaire = self.page("/diagnostic/questionnaire.json").json()
        self.page("/diagnostic/")
        started = self.post("/diagnostic/", {}, "/diagnostic/ (commencer)")
        match = STEP.search(started.headers.get("Location", ""))
        if not match:
            return
        token = match.group(1)
        step = f"/diagnostic/{token}/etape/"
        self.page(f"{step}1/", name="/diagnostic/<jeton>/etape/1/")
        self.post(f"{step}1/", {"role": "elu", "commune_query": "Charenton-le-Pont",
                                "consent": "oui", "action": "suivant"},
                  "/diagnostic/<jeton>/etape/1/ (POST)")  # fmt: skip
        if MAILS_FILE:
            address = f"{token.lower()}@bench.invalid"
            sent = self.post(f"/diagnostic/{token}/envoyer-le-lien/",
                             {"email": address, "etape": "2"},
                             "/diagnostic/<jeton>/envoyer-le-lien/ (POST)")  # fmt: skip
            if sent.status_code == 303:  # a failed request (counted as such) enqueued nothing
                with open(MAILS_FILE, "a") as mails:
                    mails.write(address + "\n")
        for number, axis in enumerate(self.questionnaire["axes"], start=2):
            self.page(f"{step}{number}/", name="/diagnostic/<jeton>/etape/<n>/")
            answers = {"version": self.questionnaire["version"], "action": "suivant"}
            for question in axis["questions"]:
                graded = [c for c in question["reponses"] if c["points"] is not None]
                answers[f"q{question['id']}"] = random.choice(graded)["id"]
            self.post(f"{step}{number}/", answers, "/diagnostic/<jeton>/etape/<n>/ (POST)")
        self.page(f"/diagnostic/{token}/resultats/", name="/diagnostic/<jeton>/resultats/")
        if TOKENS_FILE:
            with open(TOKENS_FILE, "a") as tokens:
                tokens.write(token + "\n")


@events.test_start.add_listener
def check_settings(environment, **kwargs):
    if not CSRF:
        raise SystemExit("BENCH_CSRF manque : lancez ce parcours par `make bench`.")
