from django.db import models


class EventKind(models.TextChoices):
    MEETING = "rencontre", "Rencontre"
    WEBINAR = "webinaire", "Webinaire"
    MOOC_SESSION = "session-mooc", "Session du MOOC"
    WORKSHOP = "atelier", "Atelier"
    FIELD_VISIT = "visite-de-terrain", "Visite de terrain"
    TRAINING = "formation", "Formation"


class RegistrationStatus(models.TextChoices):
    PENDING = "a-confirmer", "À confirmer"
    CONFIRMED = "confirmee", "Confirmée"
