"""The library's content version follows the data: any write to what the public pages
and the search index show bumps it once committed (rameau_site/caching.py), whoever
writes: a view, the admin, an import, a management command, a shell. Bulk writes that
send no signal go through ResourceQuerySet, which bumps it too."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from rameau_site.caching import LIBRARY_VERSION
from resources.models import Organisation, Resource, Tag, TaggedResource, Theme

LIBRARY_MODELS = [Resource, Theme, Organisation, Tag, TaggedResource]


def connect() -> None:
    for model in LIBRARY_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                LIBRARY_VERSION.bump_on_commit,
                sender=model,
                dispatch_uid=f"library-{signal}-{model.__name__}",
            )
    for relation in (Resource.publishers.through, Resource.themes.through, TaggedResource):
        m2m_changed.connect(
            LIBRARY_VERSION.bump_on_commit,
            sender=relation,
            dispatch_uid=f"library-m2m-{relation.__name__}",
        )
