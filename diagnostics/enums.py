from django.db import models


class Role(models.TextChoices):
    ELECTED = "elu", "Maire ou élu"
    AGENT = "agent", "Agent de collectivité"
    ASSOCIATION = "association", "Association"
    COMPANY = "entreprise", "Entreprise"
    OTHER = "autre", "Autre"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "brouillon", "En préparation"
    PUBLISHED = "publie", "En service"
    RETIRED = "retire", "Retiré"


class ChoiceKind(models.TextChoices):
    GRADED = "gradue", "Réponse graduée"
    DONT_KNOW = "ne-sait-pas", "Je ne sais pas"
    NOT_CONCERNED = "non-concerne", "Non concerné"
