"""The observatory's content version follows its data: any committed write to sources,
indicators, observations or key figures bumps it (rameau_site/caching.py), whoever
writes: the admin, an import, a command. Bulk writes go through ObservatoryQuerySet."""

from observatory.models import Indicator, KeyFigure, Observation, Source
from rameau_site.caching import OBSERVATORY_VERSION


def connect() -> None:
    OBSERVATORY_VERSION.follow([Source, Indicator, Observation, KeyFigure])
