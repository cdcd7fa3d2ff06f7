"""The observatory's content version follows its data: any committed write to sources,
indicators, observations or key figures bumps it (rameau_site/caching.py), whoever
writes: the admin, an import, a command. Bulk writes go through ObservationQuerySet."""

from django.db.models.signals import post_delete, post_save

from observatory.models import Indicator, KeyFigure, Observation, Source
from rameau_site.caching import OBSERVATORY_VERSION

OBSERVATORY_MODELS = [Source, Indicator, Observation, KeyFigure]


def connect() -> None:
    for model in OBSERVATORY_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                OBSERVATORY_VERSION.bump_on_commit,
                sender=model,
                dispatch_uid=f"observatory-{signal}-{model.__name__}",
            )
