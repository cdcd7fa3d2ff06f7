from django.db import models


class StepKind(models.TextChoices):
    RESOURCE = "ressource", "Ressource de la bibliothèque"
    CASE = "cas", "Cas pratique"
    DIAGNOSTIC = "diagnostic", "L’autodiagnostic"
    TEXT = "texte", "Étape libre (texte)"


class ParcoursLevel(models.TextChoices):
    DISCOVERY = "decouverte", "Découverte"
    DEEPENING = "approfondissement", "Approfondissement"


class PublicationStatus(models.TextChoices):
    """The library's editorial states, without its archive: a parcours is drafted,
    reviewed, then published."""

    DRAFT = "brouillon", "Brouillon"
    REVIEW = "en-relecture", "En relecture"
    PUBLISHED = "publie", "Publié"
