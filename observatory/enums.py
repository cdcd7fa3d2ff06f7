from django.db import models


class Unit(models.TextChoices):
    PERCENT = "pourcent", "%"
    SCORE10 = "note-10", "note sur 10"
    COUNT = "nombre", "nombre"


class Population(models.TextChoices):
    CITIZENS = "citoyens", "Citoyens"
    COMPANY_LEADERS = "dirigeants-entreprise", "Dirigeants d’entreprise"
    ASSOCIATION_LEADERS = "responsables-associatifs", "Responsables associatifs"
    MAYORS = "maires", "Maires"
    EMPLOYER_ASSOCIATIONS = "associations-employeuses", "Associations employeuses"
    ASSOCIATIONS = "associations", "Associations"
    COMPANIES = "entreprises", "Entreprises"


class Breakdown(models.TextChoices):
    NONE = "", "Ensemble"
    SIZE_BAND = "taille-commune", "Taille de commune"
    MODE = "mode-partenariat", "Mode de partenariat"
    SCALE = "echelle", "Échelle des partenariats"
    PARTNER = "partenaire", "Type de partenaire"
    FRAGILITY = "fragilite", "Fragilité du territoire"
    EMPLOYER = "employeur", "Association employeuse ou non"
    ANSWER = "reponse", "Réponse"


class Theme(models.TextChoices):
    INNOVATION = "innovation", "Les partenariats, source d’innovation"
    DYNAMICS = "dynamique", "La dynamique de co-construction"
    PRACTICES = "pratiques", "Les pratiques de partenariat"
    FRAGILITIES = "fragilites", "Les fragilités des territoires"


POPULATION_LABELS = dict(Population.choices)
BREAKDOWN_LABELS = dict(Breakdown.choices)
