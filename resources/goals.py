"""The 17 Sustainable Development Goals (ODD), reference data in code: their numbers and
official French short names (Agenda 2030), which staff do not edit; staff only tag
resources and cases with them."""

from django.db import models


class Goal(models.IntegerChoices):
    G1 = 1, "Pas de pauvreté"
    G2 = 2, "Faim «\u00a0zéro\u00a0»"
    G3 = 3, "Bonne santé et bien-être"
    G4 = 4, "Éducation de qualité"
    G5 = 5, "Égalité entre les sexes"
    G6 = 6, "Eau propre et assainissement"
    G7 = 7, "Énergie propre et d’un coût abordable"
    G8 = 8, "Travail décent et croissance économique"
    G9 = 9, "Industrie, innovation et infrastructure"
    G10 = 10, "Inégalités réduites"
    G11 = 11, "Villes et communautés durables"
    G12 = 12, "Consommation et production responsables"
    G13 = 13, "Mesures relatives à la lutte contre les changements climatiques"
    G14 = 14, "Vie aquatique"
    G15 = 15, "Vie terrestre"
    G16 = 16, "Paix, justice et institutions efficaces"
    G17 = 17, "Partenariats pour la réalisation des objectifs"


def goal_label(number: int) -> str:
    return f"ODD\u00a0{number} — {Goal(number).label}"


# The goals as the catalogue's `odd` facet sees them: the number as text, the full label.
GoalValue = models.TextChoices(
    "GoalValue", [(goal.name, (str(goal.value), goal_label(goal.value))) for goal in Goal]
)
