"""Alerts: a person (their e-mail address only) asks to be told by e-mail of what is new
in a catalogue search, a theme or the agenda. Nothing is sent before they confirm from
the e-mailed link; the address is deleted with their last alert (alerts/services.py)."""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse

from alerts.enums import PAGE_NAMES, RESOURCES_NAMES, AlertKind, Frequency
from resources.models import Theme


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    email = models.EmailField("adresse e-mail", max_length=254, unique=True)
    # The magic link of the page listing the person's alerts.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The address of the site the person used (the digests' links, sent by a worker).
    site_url = models.CharField("site", max_length=200, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)

    class Meta:
        verbose_name = "abonné·e"
        verbose_name_plural = "abonné·es"

    def __str__(self):
        return f"Abonné·e n° {self.pk}"

    def get_absolute_url(self):
        return reverse("alerts:manage", args=[self.token])


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def due(self, now):
        return self.confirmed().filter(due_at__lte=now)


class Alert(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné·e", on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField("type", max_length=20, choices=AlertKind.choices)
    # A search's or the agenda's parameters, normalised (alerts/queries.py).
    query = models.CharField("paramètres", max_length=2000, blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name="thème", on_delete=models.CASCADE, null=True, blank=True
    )
    frequency = models.CharField(
        "fréquence", max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # The links of the confirmation and of the one-click unsubscribe.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    # High-water marks: resources published after last_sent_at, events created after
    # last_event_id, are new for the next digest, due at due_at.
    last_sent_at = models.DateTimeField("dernier envoi", null=True, blank=True)
    last_event_id = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField("prochain envoi", null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "alerte"
        indexes = [
            models.Index(
                fields=["due_at"], name="alert_due", condition=Q(confirmed_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AlertKind.THEME, theme__isnull=False)
                | (~Q(kind=AlertKind.THEME) & Q(theme__isnull=True)),
                name="alert_theme_iff_theme_kind",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "kind", "query", "theme"],
                name="alert_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_frequency_display().lower()})"

    def get_absolute_url(self):
        return reverse("alerts:confirm", args=[self.token])

    @property
    def names(self) -> tuple[str, str, str]:
        """Its page, what is new there, and all of it, in words (for the templates)."""
        return PAGE_NAMES.get(self.kind, RESOURCES_NAMES)

    @property
    def unsubscribe_path(self) -> str:
        return reverse("alerts:unsubscribe", args=[self.token])
