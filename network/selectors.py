"""Reads that pages show as plain values: the catalysts near a commune (for the
diagnostic's results) and an event's page (the event, its published resources and its
places taken, in one statement)."""

from dataclasses import dataclass

from django.db import connections, router
from django.urls import reverse
from django.utils import timezone

from network.enums import RegistrationStatus
from network.models import Event, Profile
from resources.enums import Kind, Status
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


KIND_LABELS = dict(Kind.choices)


@dataclass(frozen=True, slots=True)
class LinkedResource:
    """A published resource linked to an event, as its page lists it."""

    title: str
    url: str
    kind_label: str


EVENT_FIELDS = [field.attname for field in Event._meta.concrete_fields]
# The event's columns, its published resources (Resource.objects.published(), in title
# order) and its confirmed registrations. One statement in place of the ORM's event
# and prefetch (and places_left's count): on the bench database the two queries took
# 1.60 ms of CPU (2.0 ms wall) to build, run and turn into objects, this one 0.19 ms
# (0.5 ms wall; in-process, best of 5 x 500). tests/network/test_event_page.py
# compares it with the ORM.
EVENT_PAGE_SQL = f"""
SELECT {", ".join(f"e.{field.column}" for field in Event._meta.concrete_fields)},
  (SELECT coalesce(json_agg(json_build_array(r.title, r.slug, r.kind) ORDER BY r.title, r.id),
                   '[]')
   FROM network_event_resources l JOIN resources_resource r ON r.id = l.resource_id
   WHERE l.event_id = e.id AND r.status = %(published)s AND r.published_at <= %(now)s),
  (SELECT count(*) FROM network_registration g
   WHERE g.event_id = e.id AND g.status = %(confirmed)s)
FROM network_event e
WHERE e.slug = %(slug)s AND (e.is_published OR NOT %(published_only)s)
"""


def event_page(slug: str, *, published_only: bool = True) -> Event | None:
    """The event `slug` (published, unless for the staff's preview) with its published
    resources as `published_resources` (LinkedResource) and its confirmed registrations
    as `places_taken`; None if there is none. Read where the ORM would read it (the
    replicas' router)."""
    alias = router.db_for_read(Event)
    params = {
        "slug": slug, "published_only": published_only, "published": Status.PUBLISHED,
        "now": timezone.now(), "confirmed": RegistrationStatus.CONFIRMED,
    }  # fmt: skip
    with connections[alias].cursor() as cursor:
        cursor.execute(EVENT_PAGE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    *values, resources, taken = row
    event = Event.from_db(alias, EVENT_FIELDS, values)
    prefix = reverse("resources:list") if resources else ""  # ressources/<slug>/
    event.published_resources = [
        LinkedResource(title, f"{prefix}{resource_slug}/", KIND_LABELS.get(kind, kind))
        for title, resource_slug, kind in resources
    ]
    event.places_taken = taken
    return event
