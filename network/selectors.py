"""Reads of the directory that other apps show: the catalysts near a commune, for the
diagnostic's results."""

from network.models import Profile
from territories.models import Commune

NEARBY = 3
CLOSENESS = {0: "sur votre commune", 1: "dans votre département", 2: "dans votre région"}


def catalysts_near(commune: Commune | None, limit: int = NEARBY) -> list[dict]:
    """Up to `limit` published profiles covering or neighbouring the commune (its
    département, then its région), closest first, as plain values. One query."""
    if commune is None:
        return []
    return [
        {
            "name": profile.name,
            "url": profile.get_absolute_url(),
            "kind": profile.get_profile_type_display(),
            "organisation": profile.organisation,
            "where": CLOSENESS[profile.closeness],
            "is_demo": profile.is_demo,
        }
        for profile in Profile.objects.near(commune)[:limit]
    ]
