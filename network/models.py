"""The agenda: meetings, webinars, MOOC sessions and workshops of the network, entered
by staff. Times are stored in UTC and shown in Europe/Paris (settings.TIME_ZONE).

The directory: profiles of catalysts and pioneer territories, proposed by anyone,
confirmed by e-mail, then moderated by staff before they are public."""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from network.enums import (
    EventKind,
    ProfileStatus,
    ProfileType,
    RegistrationStatus,
    StructureKind,
    Trade,
)
from rameau_site.caching import AGENDA_VERSION, DIRECTORY_VERSION, AnnouncingQuerySet
from resources.french import french_spacing
from resources.models import Resource, Theme
from resources.rendering import markdown_html
from territories.models import Commune, Departement, Region


class EventQuerySet(AnnouncingQuerySet):
    content_version = AGENDA_VERSION  # bulk writes announce themselves (network/apps.py)

    def published(self):
        return self.filter(is_published=True)

    def upcoming(self):
        """Not over yet (an event under way is still to come), soonest first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Over, the most recent first."""
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def listed(self):
        """What a list of events shows (never the long description)."""
        return self.defer("description")


class Event(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField("début", help_text="Heure de Paris.")
    ends_at = models.DateTimeField("fin", help_text="Heure de Paris.")
    online = models.BooleanField("en ligne", default=False)
    place = models.CharField(
        "lieu", max_length=300, blank=True, help_text="Adresse et commune ; vide si en ligne."
    )
    online_url = models.URLField(
        "lien de connexion",
        max_length=500,
        blank=True,
        help_text="Jamais sur la page publique : donné aux personnes dont l’inscription sur "
        "le site est confirmée (e-mail de confirmation, rappel, page de leur inscription).",
    )
    description = models.TextField("description", help_text="Markdown.")
    organiser = models.CharField("organisé par", max_length=200)
    registration_url = models.URLField(
        "lien d’inscription", max_length=500, blank=True, help_text="Sur le site de l’organisateur."
    )
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        "fin des inscriptions",
        null=True,
        blank=True,
        help_text="Heure de Paris ; vide : jusqu’à la fin de l’événement.",
    )
    replay_url = models.URLField(
        "lien du replay", max_length=500, blank=True, help_text="Après l’événement."
    )
    resources = models.ManyToManyField(
        Resource, verbose_name="ressources liées", blank=True, related_name="events"
    )
    is_published = models.BooleanField("publié", default=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "événement"
        verbose_name_plural = "événements"
        indexes = [
            models.Index(fields=["is_published", "ends_at"], name="event_published_ends"),
            # The agenda's order: a page of 20 reads 20 rows of this index, not a sort of
            # all the events (10,000 events: 17 ms -> see tests/network/test_event_data.py).
            models.Index(fields=["starts_at", "id"], name="event_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="La fin de l’événement doit venir après son début.",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(place=""),
                name="event_has_place_or_online",
                violation_error_message="Indiquez un lieu, ou cochez « en ligne ».",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:event", args=[self.slug])

    @cached_property
    def description_html(self) -> str:
        """Staff-written Markdown, sanitised exactly as a resource's body (nh3), with
        French spacing (as the kit's texts)."""
        html = french_spacing(markdown_html(self.description))
        return mark_safe(html)  # noqa: S308 (sanitised by nh3)

    @property
    def is_over(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def asks_registration(self) -> bool:
        return bool(self.registration_url or self.capacity)

    @property
    def registers_here(self) -> bool:
        """Registration on this site: places are counted and no other site takes it,
        until the registration deadline if there is one, else until the end."""
        closed = self.registration_closes_at and self.registration_closes_at <= timezone.now()
        return bool(self.capacity) and not self.registration_url and not (self.is_over or closed)

    @property
    def registration_closed(self) -> bool:
        """Places on this site, but the deadline has passed."""
        asked_here = bool(self.capacity) and not self.registration_url
        return asked_here and not self.is_over and not self.registers_here


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A person's registration for an event, confirmed from the link e-mailed to them:
    a place while some remain, else the waiting list (in `waiting_since` order).
    Deleted when they cancel, and 30 days after the event (network/tasks.py)."""

    event = models.ForeignKey(
        Event, verbose_name="événement", on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField("nom", max_length=200)
    email = models.EmailField("adresse e-mail", max_length=254)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        "statut", max_length=20, choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )  # fmt: skip
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    waiting_since = models.DateTimeField("sur liste d’attente depuis", null=True, blank=True)
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    # The site's address the person registered on, for the links of the e-mails sent
    # later by the workers (promotion, reminder), as alerts.Subscriber.site_url.
    site_url = models.CharField("site", max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "inscription"
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="registration_once"),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.WAITING) | Q(waiting_since__isnull=False),
                name="registration_waiting_has_rank",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.event})"

    def get_absolute_url(self):
        return reverse("network:registration", args=[self.token])

    def waiting_rank(self) -> int | None:
        """1 for the first on the event's waiting list; None when not on it."""
        if self.status != RegistrationStatus.WAITING:
            return None
        ahead = Registration.objects.filter(
            Q(waiting_since__lt=self.waiting_since)
            | Q(waiting_since=self.waiting_since, pk__lt=self.pk),
            event_id=self.event_id,
            status=RegistrationStatus.WAITING,
        )
        return ahead.count() + 1


class ProfileQuerySet(AnnouncingQuerySet):
    content_version = DIRECTORY_VERSION  # bulk writes announce themselves (network/signals.py)

    def published(self):
        return self.filter(status=ProfileStatus.PUBLISHED)

    def moderated(self):
        """What staff see: nothing before the person confirmed their address."""
        return self.exclude(status=ProfileStatus.PENDING)

    def listed(self):
        """What a card of the list shows: never the address nor the long text."""
        return self.defer("email", "presentation", "token").prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name")),
            Prefetch("departements", queryset=Departement.objects.order_by("code")),
            Prefetch("communes", queryset=Commune.objects.order_by("name")),
        )

    def near(self, commune: Commune):
        """The published profiles whose territory covers the commune or lies in its
        région, the closest first: those naming the commune, then those in its
        département, then the rest of its région. One query; slice it."""
        names_it = Exists(
            self.model.communes.through.objects.filter(
                profile_id=OuterRef("pk"), commune_id=commune.pk
            )
        )
        return (
            self.published()
            .filter(region_codes__contains=[commune.region_id])
            .annotate(
                closeness=Case(
                    When(names_it, then=Value(0)),
                    When(departement_codes__contains=[commune.departement_id], then=Value(1)),
                    default=Value(2),
                )
            )
            .only("name", "slug", "profile_type", "organisation", "is_demo")
            .order_by("closeness", "name", "pk")
        )

    def with_links(self):
        """The page's themes, territory and published cases and resources."""
        published = Resource.objects.published().only("title", "slug", "kind").order_by("title")
        return self.listed().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch("resources", queryset=published, to_attr="published_resources"),
        )


class Profile(models.Model):
    """A catalyst (a person or a structure) or a pioneer territory in the directory.
    The address is kept for the confirmation, the magic links and the contact relay
    only: no page, feed, API or sitemap shows it."""

    profile_type = models.CharField("type de fiche", max_length=30, choices=ProfileType.choices)
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    structure_kind = models.CharField(
        "type de structure", max_length=30, choices=StructureKind.choices, blank=True
    )
    trades = ArrayField(
        models.CharField(max_length=40, choices=Trade.choices),
        verbose_name="métiers",
        default=list,
        blank=True,
    )
    regions = models.ManyToManyField(Region, verbose_name="régions", blank=True, related_name="+")
    departements = models.ManyToManyField(
        Departement, verbose_name="départements", blank=True, related_name="+"
    )
    communes = models.ManyToManyField(
        Commune, verbose_name="communes", blank=True, related_name="+"
    )
    # The regions and départements the territory lies in, derived from the three lists
    # above by network.services.profile_territory_refresh (facets, neighbours).
    region_codes = ArrayField(models.CharField(max_length=3), default=list, editable=False)
    departement_codes = ArrayField(models.CharField(max_length=3), default=list, editable=False)
    themes = models.ManyToManyField(
        Theme, verbose_name="thèmes", blank=True, related_name="network_profiles"
    )
    presentation = models.TextField("présentation", blank=True, help_text="Markdown, court.")
    website = models.URLField("site web", max_length=500, blank=True)
    resources = models.ManyToManyField(
        Resource,
        verbose_name="cas et ressources liés",
        blank=True,
        related_name="network_profiles",
    )
    is_demo = models.BooleanField(
        "donnée de démonstration",
        default=False,
        help_text="Affiche « Donnée de démonstration » sur la fiche.",
    )
    email = models.EmailField("adresse e-mail", max_length=254)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        "statut", max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.PENDING
    )
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "fiche de l’annuaire"
        verbose_name_plural = "fiches de l’annuaire"
        indexes = [
            models.Index(fields=["status", "name", "id"], name="profile_status_name"),
            GinIndex(fields=["region_codes"], name="profile_region_codes"),
            GinIndex(fields=["departement_codes"], name="profile_departement_codes"),
            GinIndex(fields=["trades"], name="profile_trades"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:profile", args=[self.slug])

    @cached_property
    def presentation_html(self) -> str:
        """Markdown sanitised as a resource's body (nh3), with French spacing."""
        return mark_safe(french_spacing(markdown_html(self.presentation)))  # noqa: S308

    @property
    def trade_labels(self) -> list[str]:
        return [Trade(value).label for value in self.trades if value in Trade.values]

    @property
    def territory_label(self) -> str:
        """The territory covered, from the prefetched lists: "Lyon, Villeurbanne"."""
        names = [str(c.name) for c in self.communes.all()]
        names += [str(d) for d in self.departements.all()]
        names += [r.name for r in self.regions.all()]
        return ", ".join(names)


class RelayMessage(models.Model):
    """A message sent through a profile's contact form, as abuse handling needs it and
    no more: which profile, when, and a keyed hash of the sender's address (never the
    address nor the text). Counts the rate limits; deleted after 30 days."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    sender_hash = models.CharField(max_length=64, db_index=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "message relayé"
        verbose_name_plural = "messages relayés"

    def __str__(self):
        return f"{self.profile} ({self.sent_at:%d/%m/%Y})"
