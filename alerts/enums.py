from datetime import timedelta

from django.db import models


class AlertKind(models.TextChoices):
    SEARCH = "recherche", "Recherche du catalogue"
    THEME = "theme", "Thème"
    AGENDA = "agenda", "Agenda"


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "Chaque semaine"
    DAILY = "quotidienne", "Chaque jour"


PERIODS = {Frequency.WEEKLY: timedelta(days=7), Frequency.DAILY: timedelta(days=1)}
