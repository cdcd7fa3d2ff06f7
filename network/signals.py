"""The directory's content version follows its data (rameau_site/caching.py): the list
page is cached whole under it and the library's version (the themes' names)."""

from network.models import Profile
from rameau_site.caching import DIRECTORY_VERSION, LIBRARY_VERSION, combined_version


def connect() -> None:
    DIRECTORY_VERSION.follow(
        [Profile],
        [
            Profile.regions.through,
            Profile.departements.through,
            Profile.communes.through,
            Profile.themes.through,
            Profile.resources.through,
        ],
    )


def directory_pages_version() -> str:
    return combined_version(DIRECTORY_VERSION, LIBRARY_VERSION)
