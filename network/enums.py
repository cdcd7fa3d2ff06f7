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
    WAITING = "liste-d-attente", "Sur liste d’attente"


class ProfileType(models.TextChoices):
    PERSON = "personne", "Catalyseur ou catalyseuse"
    STRUCTURE = "structure", "Structure"
    TERRITORY = "territoire-pionnier", "Territoire pionnier"


class StructureKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    COMPANY = "entreprise", "Entreprise"
    FOUNDATION = "fondation", "Fondation"
    PUBLIC_BODY = "etablissement-public", "Établissement public"
    ACADEMIC = "academique", "Établissement d’enseignement ou de recherche"
    COLLECTIVE = "collectif", "Collectif ou réseau d’acteurs"
    OTHER = "autre", "Autre"


class Trade(models.TextChoices):
    """The four trades of territorial catalysis (associations.gouv.fr, « les
    catalyseurs territoriaux », in /work/shared/FACTS.md)."""

    DIALOGUE = "dialogue-territorial", "Dialogue territorial"
    EXPERIMENTS = "experimentations-collectives", "Expérimentations collectives"
    SUPPORT = "accompagnements", "Accompagnements"
    PLACE = "gestion-d-un-lieu", "Gestion d’un lieu"


class ProfileStatus(models.TextChoices):
    PENDING = "a-confirmer", "À confirmer par la personne"
    CONFIRMED = "a-moderer", "Confirmée, à modérer"
    PUBLISHED = "publiee", "Publiée"
    REFUSED = "refusee", "Refusée"
