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


class ActorType(models.TextChoices):
    """Who takes part in a shared diagnostic (codes published in questionnaire.json)."""

    ELECTED = "elu", "Élu·e"
    AGENT = "agent", "Agent de collectivité"
    COMPANY = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    EDUCATION = "enseignement-recherche", "Établissement d’enseignement ou de recherche"
    FUNDER = "financeur-institution", "Financeur ou institution"
    CATALYST = "catalyseur", "Catalyseur territorial"
    RESIDENT = "habitant", "Habitant·e"


# The profile's role of a participant, read from their actor type.
ACTOR_ROLES = {
    ActorType.ELECTED: Role.ELECTED,
    ActorType.AGENT: Role.AGENT,
    ActorType.COMPANY: Role.COMPANY,
    ActorType.ASSOCIATION: Role.ASSOCIATION,
}
