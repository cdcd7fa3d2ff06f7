"""The questionnaire's content version follows its data: any committed write to
questionnaires, axes, questions or choices bumps it (rameau_site/caching.py), so pages
that announce the questionnaire in service (its length on the home page) follow.
Putting a version in service is a bulk update: QuestionnaireQuerySet announces it."""

from django.db.models.signals import post_delete, post_save

from diagnostics.models import Axis, Choice, Question, Questionnaire
from rameau_site.caching import QUESTIONNAIRE_VERSION

QUESTIONNAIRE_MODELS = [Questionnaire, Axis, Question, Choice]


def connect() -> None:
    for model in QUESTIONNAIRE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                QUESTIONNAIRE_VERSION.bump_on_commit,
                sender=model,
                dispatch_uid=f"questionnaire-{signal}-{model.__name__}",
            )
