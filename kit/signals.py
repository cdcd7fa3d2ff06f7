"""The kit's content version follows its data (rameau_site/caching.py): the home page
shows the « Commencer ici » parcours and is cached under it."""

from kit.models import Parcours, Step, Use, UseItem
from rameau_site.caching import KIT_VERSION


def connect() -> None:
    KIT_VERSION.follow([Use, UseItem, Parcours, Step])
