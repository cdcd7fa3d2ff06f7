from django.db import models


class Kind(models.TextChoices):
    MOOC = "mooc", "MOOC / formation"
    STUDY = "etude", "Étude"
    GUIDE = "guide", "Guide / méthode"
    TOOL = "outil", "Outil"
    WEBINAR = "webinaire", "Webinaire"
    FRAMEWORK = "referentiel", "Référentiel"
    KIT = "kit", "Kit"
    ARTICLE = "article", "Article"
    CASE = "cas-pratique", "Cas pratique"


class Status(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    REVIEW = "en-relecture", "En relecture"
    PUBLISHED = "publie", "Publié"
    ARCHIVED = "archive", "Archivé"


class Audience(models.TextChoices):
    LOCAL_AUTHORITIES = "collectivites", "Collectivités"
    COMPANIES = "entreprises", "Entreprises"
    ASSOCIATIONS = "associations", "Associations"
    EDUCATION = "enseignement-recherche", "Établissements d’enseignement et de recherche"
    CITIZENS = "citoyens", "Citoyens"
    CATALYSTS = "catalyseurs", "Catalyseurs et réseaux"
    FUNDERS = "financeurs", "Financeurs et fondations"


class Usage(models.TextChoices):
    LEARN = "se-former", "Se former"
    IMPLEMENT = "mettre-en-oeuvre", "Mettre en œuvre"
    SUPPORT = "accompagner", "Accompagner"
    EVALUATE = "evaluer", "Évaluer"


class Level(models.TextChoices):
    EMERGENCE = "emergence", "Émergence"
    EXPERIMENTATION = "experimentation", "Expérimentation"
    STRUCTURING = "structuration", "Structuration"
    SCALING = "demultiplication", "Démultiplication"


class Form(models.TextChoices):
    """The three forms of co-construction."""

    DIALOGUE = "dialogue-territorial", "Dialogue territorial"
    PARTNERSHIPS = "partenariats", "Partenariats entre organisations"
    EXPERIMENTS = "experimentations-collectives", "Expérimentations collectives"


class PartnershipMode(models.TextChoices):
    PATRONAGE = "mecenat", "Mécénat"
    RESPONSIBLE = "pratiques-responsables", "Pratiques responsables"
    ECONOMIC = "cooperation-economique", "Coopération économique"
    INNOVATION = "innovation-societale", "Innovation sociétale"


class Impact(models.TextChoices):
    PERFORMANCE = "performance", "Performance des organisations"
    INNOVATION = "innovation", "Innovation territoriale et sociétale"
    TRUST = "confiance", "Confiance"


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "Anglais"
