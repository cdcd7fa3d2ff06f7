"""The library's content version follows the data: any write to what the public pages
and the search index show bumps it once committed (rameau_site/caching.py), whoever
writes: a view, the admin, an import, a management command, a shell. Bulk writes that
send no signal go through LibraryQuerySet, which bumps it too."""

from rameau_site.caching import LIBRARY_VERSION
from resources.models import (
    GlossaryTerm,
    Organisation,
    Resource,
    Tag,
    TaggedResource,
    Theme,
)


def connect() -> None:
    LIBRARY_VERSION.follow(
        [Resource, Theme, Organisation, Tag, TaggedResource, GlossaryTerm],
        relations=[
            Resource.publishers.through,
            Resource.themes.through,
            TaggedResource,
            GlossaryTerm.resources.through,
        ],
    )
