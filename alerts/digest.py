"""The digests: for each confirmed alert that is due, what is new since its last
digest, e-mailed by the task queue; nothing when nothing is new.

Alerts are claimed in chunks with SELECT ... FOR UPDATE SKIP LOCKED and their marks
moved in the same transaction as the e-mails are enqueued: two workers running at once
take different alerts, and an alert whose transaction commits is no longer due, so no
digest goes twice. Each chunk is read, sent and forgotten: memory stays flat whatever
the number of alerts.

A catalogue search (and a theme: the catalogue filtered on it) is evaluated by the
catalogue's own FilterSet, restricted to the resources published after the alert's
mark; the agenda by the agenda's FilterSet, restricted to events created after the
last one seen; the directory by its FilterSet (a region...), restricted to the profiles
published after the mark."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min, Q, Value
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.utils import timezone

from alerts.enums import PERIODS, AlertKind
from alerts.models import Alert
from alerts.queries import (
    agenda_filterset,
    agenda_labels,
    directory_filterset,
    directory_labels,
    normalised,
    search_filterset,
    search_labels,
)
from alerts.services import absolute, latest_event_id
from network.models import Event, Profile
from rameau_site.mail import mail_enqueue
from resources.index import LibraryIndex, bits_of, ids_of, library_index
from resources.models import Resource

CHUNK_SIZE = 500
# A resource is new for the digest when published up to this long before the library
# index was built: a publication whose transaction committed late (after the index
# read the library) is then still ahead of the mark, for the next digest.
INDEX_MARGIN = timedelta(minutes=1)
# At most this many items are listed in one e-mail; the link shows them all.
MAX_LISTED = 30


@dataclass(frozen=True)
class Item:
    title: str
    path: str


@dataclass
class DigestRun:
    """What one run read once for all its alerts."""

    now: datetime
    index: LibraryIndex
    resource_mark: datetime
    event_mark: int
    profile_mark: datetime
    # Published resources and upcoming events newer than the oldest mark due.
    resources: dict = field(default_factory=dict)  # id -> (published_at, Item)
    events: dict = field(default_factory=dict)  # id -> Item
    profiles: dict = field(default_factory=dict)  # id -> (published_at, Item)
    new_bits: int = 0
    # Per query: the new items its FilterSet selects (few: only the new ones are kept).
    by_query: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    checked: int = 0
    sent: int = 0

    def new_resources(self, alert: Alert) -> list[Item]:
        if not self.new_bits:  # nothing new at all: no search to evaluate
            return []
        query = normalised({"theme": [alert.theme.slug]}) if alert.theme_id else alert.query
        if query not in self.by_query:
            selected = search_filterset(query, self.index).selected & self.new_bits
            self.by_query[query] = sorted(
                ids_of(selected), key=lambda pk: self.resources[pk][0], reverse=True
            )
        mark = alert.last_sent_at
        return [
            self.resources[pk][1]
            for pk in self.by_query[query]
            if mark < self.resources[pk][0] <= self.resource_mark
        ]

    def new_events(self, alert: Alert) -> list[Item]:
        if not self.events:
            return []
        key = ("agenda", alert.query)
        if key not in self.by_query:
            queryset = Event.objects.filter(pk__in=list(self.events))
            self.by_query[key] = list(
                agenda_filterset(alert.query, queryset).qs.values_list("pk", flat=True)
            )
        return [
            self.events[pk]
            for pk in self.by_query[key]
            if alert.last_event_id < pk <= self.event_mark
        ]

    def new_profiles(self, alert: Alert) -> list[Item]:
        if not self.profiles:
            return []
        key = ("reseau", alert.query)
        if key not in self.by_query:
            queryset = Profile.objects.published().filter(pk__in=list(self.profiles))
            filterset = directory_filterset(alert.query, queryset)
            self.by_query[key] = sorted(
                filterset.qs.values_list("pk", flat=True),
                key=lambda pk: self.profiles[pk][0],
                reverse=True,
            )
        mark = alert.last_sent_at
        return [
            self.profiles[pk][1]
            for pk in self.by_query[key]
            if mark < self.profiles[pk][0] <= self.profile_mark
        ]


def run_start(now: datetime) -> DigestRun:
    """The marks this run moves the alerts to, and the items newer than the oldest
    mark among the due alerts (a few queries, whatever the number of alerts)."""
    index = library_index()
    run = DigestRun(
        now=now,
        index=index,
        resource_mark=min(now, index.built_at - INDEX_MARGIN),
        event_mark=latest_event_id(),
        # Profiles are read from PostgreSQL, not from an index: the margin is for a
        # publication committed late.
        profile_mark=now - INDEX_MARGIN,
    )
    oldest = Alert.objects.due(now).aggregate(
        resource=Min("last_sent_at", filter=Q(kind__in=[AlertKind.SEARCH, AlertKind.THEME])),
        event=Min("last_event_id", filter=Q(kind=AlertKind.AGENDA)),
        profile=Min("last_sent_at", filter=Q(kind=AlertKind.DIRECTORY)),
    )
    if oldest["resource"] is not None:
        rows = (
            Resource.objects.published()
            .filter(published_at__gt=oldest["resource"], published_at__lte=run.resource_mark)
            .values_list("pk", "published_at", "title", "slug")
        )
        run.resources = {
            pk: (published_at, Item(title, f"/ressources/{slug}/"))
            for pk, published_at, title, slug in rows
        }
        run.new_bits = bits_of(list(run.resources)) & index.published
    if oldest["event"] is not None:
        rows = (
            Event.objects.published()
            .upcoming()
            .filter(pk__gt=oldest["event"], pk__lte=run.event_mark)
            .values_list("pk", "title", "slug")
        )
        run.events = {pk: Item(title, f"/agenda/{slug}/") for pk, title, slug in rows}
    if oldest["profile"] is not None:
        rows = (
            Profile.objects.published()
            .filter(published_at__gt=oldest["profile"], published_at__lte=run.profile_mark)
            .values_list("pk", "published_at", "name", "slug")
        )
        run.profiles = {
            pk: (published_at, Item(name, f"/reseau/{slug}/"))
            for pk, published_at, name, slug in rows
        }
    return run


def alert_labels(alert: Alert, index: LibraryIndex | None = None) -> list[str]:
    """What the alert watches, in words."""
    if alert.kind == AlertKind.THEME:
        return [f"Thème\u00a0: {alert.theme.name}"]
    if alert.kind == AlertKind.AGENDA:
        return agenda_labels(alert.query)
    if alert.kind == AlertKind.DIRECTORY:
        return directory_labels(alert.query)
    return search_labels(alert.query, index)


def page_path(alert: Alert) -> str:
    if alert.kind == AlertKind.AGENDA:
        return "/agenda/" + (f"?{alert.query}" if alert.query else "")
    if alert.kind == AlertKind.DIRECTORY:
        return "/reseau/" + (f"?{alert.query}" if alert.query else "")
    query = f"theme={alert.theme.slug}" if alert.theme_id else alert.query
    return "/ressources/" + (f"?{query}" if query else "")


def unsubscribe_headers(url: str) -> dict:
    """RFC 8058: a mail client offers « Se désabonner » and POSTs to the URL itself."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def digest_send(alert: Alert, items: list[Item], labels: list[str]) -> None:
    site_url = alert.subscriber.site_url
    unsubscribe_url = absolute(site_url, alert.unsubscribe_path)
    context = {
        "alert": alert,
        "labels": labels,
        "items": [(item.title, absolute(site_url, item.path)) for item in items[:MAX_LISTED]],
        "more": max(len(items) - MAX_LISTED, 0),
        "count": len(items),
        "page_url": absolute(site_url, page_path(alert)),
        "manage_url": absolute(site_url, alert.subscriber.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = f"Alerte : {len(items)} nouveauté{'s' if len(items) > 1 else ''}"
    mail_enqueue(
        subject,
        render_to_string("alerts/email/digest.txt", context),
        None,
        [alert.subscriber.email],
        headers=unsubscribe_headers(unsubscribe_url),
    )


def digest_chunk(run: DigestRun, chunk_size: int) -> int:
    """Claim up to chunk_size due alerts, send their digests, move their marks; in one
    transaction. The number of alerts claimed (0: none left)."""
    with transaction.atomic():
        alerts = list(
            Alert.objects.due(run.now)
            .select_related("subscriber", "theme")
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))[:chunk_size]
        )
        moved = defaultdict(list)  # (mark's field, its value, frequency) -> alert ids
        for alert in alerts:
            if alert.kind == AlertKind.AGENDA:
                items = run.new_events(alert)
                mark = ("last_event_id", run.event_mark)
            elif alert.kind == AlertKind.DIRECTORY:
                items = run.new_profiles(alert)
                mark = ("last_sent_at", run.profile_mark)
            else:
                items = run.new_resources(alert)
                mark = ("last_sent_at", run.resource_mark)
            if items:
                key = (alert.kind, alert.query, alert.theme_id)
                if key not in run.labels:
                    run.labels[key] = alert_labels(alert, run.index)
                digest_send(alert, items, run.labels[key])
                run.sent += 1
            moved[(*mark, alert.frequency)].append(alert.pk)
        # A few plain UPDATEs per chunk (one per mark and frequency), not one per alert.
        for (name, value, frequency), ids in moved.items():
            Alert.objects.filter(pk__in=ids).update(
                **{name: Greatest(F(name), Value(value)), "due_at": run.now + PERIODS[frequency]}
            )
    run.checked += len(alerts)
    return len(alerts)


def digests_send(*, now: datetime | None = None, chunk_size: int = CHUNK_SIZE) -> DigestRun:
    """Every due alert's digest; the run's figures (alerts checked, e-mails sent)."""
    run = run_start(now or timezone.now())
    while digest_chunk(run, chunk_size):
        pass
    return run
