"""The questionnaire's content version follows its data: any committed write to
questionnaires, axes, questions or choices bumps it (rameau_site/caching.py), so pages
that announce the questionnaire in service (its length on the home page) follow.
Putting a version in service is a bulk update: QuestionnaireQuerySet announces it."""

from diagnostics.models import Axis, Choice, Question, Questionnaire
from rameau_site.caching import QUESTIONNAIRE_VERSION


def connect() -> None:
    QUESTIONNAIRE_VERSION.follow([Questionnaire, Axis, Question, Choice])
