from datetime import timedelta

from django.db import models


class AlertKind(models.TextChoices):
    SEARCH = "recherche", "Recherche du catalogue"
    THEME = "theme", "Thème"
    AGENDA = "agenda", "Agenda"
    DIRECTORY = "reseau", "Annuaire du réseau"


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "Chaque semaine"
    DAILY = "quotidienne", "Chaque jour"


PERIODS = {Frequency.WEEKLY: timedelta(days=7), Frequency.DAILY: timedelta(days=1)}

# How the pages name what an alert watches: its page, what is new there, all of it.
PAGE_NAMES = {
    AlertKind.AGENDA: ("l’agenda", "les nouveaux événements", "Tous les événements à venir."),
    AlertKind.DIRECTORY: (
        "l’annuaire du réseau",
        "les nouvelles fiches de l’annuaire",
        "Toutes les fiches de l’annuaire.",
    ),
}
RESOURCES_NAMES = ("les ressources", "les nouvelles ressources", "Toutes les ressources.")
