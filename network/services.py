"""Registration for an event on this site: requested with a form, confirmed from the
e-mailed link (a place while some remain, else the waiting list, which takes the
places freed in its order; places change hands under a lock on the event's row, so
that two requests never take the same one), cancelled by
deleting it.

The directory's writes: a profile proposed, confirmed by its author (double opt-in),
moderated by staff, edited or deleted from a magic link; messages relayed by e-mail."""

import hashlib
import hmac
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, TimestampSigner
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from network.dates import when_label
from network.enums import ProfileStatus, RegistrationStatus
from network.models import Event, Profile, Registration, RelayMessage
from network.registration_mails import MailKind, registration_mail_enqueue
from rameau_site.mail import mail_enqueue

RETENTION_DAYS = 30  # registrations are deleted this long after their event


@transaction.atomic
def registration_request(
    *, event: Event, name: str, email: str, organisation: str, site_url: str
) -> Registration:
    """A pending registration (or the existing one for this address, left as it is)
    and the e-mail with its link; `site_url` is the site's address the person used."""
    registration, _created = Registration.objects.get_or_create(
        event=event,
        email=email,
        defaults={"name": name, "organisation": organisation, "site_url": site_url},
    )
    link = site_url.rstrip("/") + registration.get_absolute_url()
    mail_enqueue(
        f"Votre inscription : {event.title}",
        f"Bonjour,\n\nPour confirmer votre inscription à « {event.title} » "
        f"({when_label(event.starts_at, event.ends_at)}), ouvrez ce lien :\n\n"
        f"{link}\n\nLe même lien permet de l’annuler. Sans confirmation, aucune place ne "
        "vous est réservée ; si l’événement est complet, la confirmation vous inscrit sur "
        "la liste d’attente.\n\nSi vous n’avez rien demandé, ignorez cet e-mail.",
        None,
        [email],
    )
    return registration


def places_left(event: Event, taken: int | None = None) -> int:
    """`taken`: the confirmed registrations when already counted (the event's page)."""
    if taken is None:
        taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max((event.capacity or 0) - taken, 0)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> str | None:
    """The status once confirmed: a place while one remains and nobody waits, else the
    waiting list (each told by e-mail); None when the event takes no registration any
    more. The event's row is locked: two confirmations of the last place give it to
    one of them only, the other one goes first on the waiting list."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db(fields=["status"])
    if registration.status != RegistrationStatus.PENDING:
        return registration.status
    if not event.registers_here:
        return None
    waiting_list_promote(event=event)  # places added by staff go to those waiting first
    now = timezone.now()
    if places_left(event) > 0:
        registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, now
        kind = MailKind.CONFIRMED
    else:
        registration.status, registration.waiting_since = RegistrationStatus.WAITING, now
        kind = MailKind.WAITING
    registration.save(update_fields=["status", "confirmed_at", "waiting_since"])
    registration_mail_enqueue(registration.pk, kind)
    return registration.status


def waiting_list_promote(*, event: Event) -> list[Registration]:
    """The first on the waiting list, in the order they joined it, take the places
    left, each told by e-mail. The caller holds the event's lock."""
    free = 0 if event.is_over else places_left(event)
    if free <= 0:
        return []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING)
    promoted = list(waiting.order_by("waiting_since", "pk")[:free])
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at"])
        registration_mail_enqueue(registration.pk, MailKind.PROMOTED)
    return promoted


@transaction.atomic
def waiting_list_refill(*, event: Event) -> list[Registration]:
    """After staff changed the places: the waiting list takes the new ones."""
    return waiting_list_promote(event=Event.objects.select_for_update().get(pk=event.pk))


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """The registration and the personal data in it are deleted at once; the place it
    held goes to the first on the waiting list (returned)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    Registration.objects.filter(pk=registration.pk).delete()
    return waiting_list_promote(event=event)


REMINDER_BATCH = 500


def reminders_send(*, now: datetime | None = None) -> int:
    """Confirmed registrants of the events starting tomorrow (Paris time) are reminded
    once. Each batch of rows is claimed under locks that other workers skip, marked
    `reminded_at` and its e-mails queued in one transaction: two workers running at
    once never remind the same person twice (tests/network/test_reminders.py)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    paris = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time.min, tzinfo=paris)
    end = datetime.combine(tomorrow + timedelta(days=1), time.min, tzinfo=paris)
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__is_published=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    )
    sent = 0
    while True:
        with transaction.atomic():
            claimed = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list("pk", flat=True)[:REMINDER_BATCH]
            )
            if not claimed:
                return sent
            Registration.objects.filter(pk__in=claimed).update(reminded_at=now)
            for pk in claimed:
                registration_mail_enqueue(pk, MailKind.REMINDER)
        sent += len(claimed)


@transaction.atomic
def registrants_message(*, events, subject: str, body: str, waiting_too: bool) -> int:
    """Staff's message to the confirmed registrants of `events` (and to those waiting):
    one e-mail each, through the task queue. Returns how many were queued."""
    statuses = [RegistrationStatus.CONFIRMED]
    if waiting_too:
        statuses.append(RegistrationStatus.WAITING)
    recipients = Registration.objects.filter(event__in=events, status__in=statuses)
    count = 0
    for pk in recipients.order_by("pk").values_list("pk", flat=True).iterator():
        registration_mail_enqueue(pk, MailKind.MESSAGE, subject=subject, body=body)
        count += 1
    return count


def registrations_purge() -> int:
    """Registrations of events over for more than RETENTION_DAYS, deleted."""
    limit = timezone.now() - timedelta(days=RETENTION_DAYS)
    return Registration.objects.filter(event__ends_at__lt=limit).delete()[0]


# --- The directory --------------------------------------------------------------------

PENDING_RETENTION_DAYS = 7  # an unconfirmed proposal is deleted after this
MANAGE_LINK_MAX_AGE = 3 * 24 * 3600  # seconds a magic link stays valid
RELAY_RETENTION_DAYS = 30
RELAY_PER_SENDER_PER_DAY = 5
RELAY_PER_PROFILE_PER_DAY = 10
RESERVED_SLUGS = {"proposer", "gerer", "confirmer", "flux"}


def profile_slug(name: str) -> str:
    base = slugify(name)[:200] or "fiche"
    slug, number = base, 1
    taken = (
        set(Profile.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def profile_territory_refresh(*, profile: Profile) -> None:
    """The regions and départements the profile's territory lies in, from its lists."""
    regions = {r.code for r in profile.regions.all()}
    departements = {d.code for d in profile.departements.all()}
    regions |= {d.region_id for d in profile.departements.all()}
    for commune in profile.communes.all():
        regions.add(commune.region_id)
        departements.add(commune.departement_id)
    profile.region_codes, profile.departement_codes = sorted(regions), sorted(departements)
    Profile.objects.filter(pk=profile.pk).update(
        region_codes=profile.region_codes, departement_codes=profile.departement_codes
    )


def profile_fill(*, profile: Profile, data: dict) -> None:
    """Write the form's cleaned data on the profile and its lists."""
    profile.save()
    profile.regions.set(data["regions"])
    profile.departements.set(data["departements_text"])
    profile.communes.set(data["communes_text"])
    profile.themes.set(data["themes"])
    profile_territory_refresh(profile=profile)


@transaction.atomic
def profile_propose(*, form, link_for) -> Profile:
    """A profile waiting for its author's confirmation, and the e-mail with the link;
    `link_for(profile)` gives the absolute URL. Nobody but the author sees it yet."""
    profile = form.save(commit=False)
    profile.email = form.cleaned_data["email"]
    profile.slug = profile_slug(profile.name)
    profile.status = ProfileStatus.PENDING
    profile_fill(profile=profile, data=form.cleaned_data)
    mail_enqueue(
        f"Confirmez votre fiche dans l’annuaire : {profile.name}",
        f"Bonjour,\n\nVous avez proposé la fiche « {profile.name} » pour l’annuaire des "
        f"catalyseurs territoriaux. Pour la confirmer, ouvrez ce lien :\n\n{link_for(profile)}"
        "\n\nL’équipe la relira ensuite avant de la publier. Sans confirmation dans les "
        f"{PENDING_RETENTION_DAYS} jours, elle est effacée.\n\nSi vous n’avez rien demandé, "
        "ignorez cet e-mail : rien ne sera publié.",
        None,
        [profile.email],
    )
    return profile


def profile_confirm(*, profile: Profile) -> None:
    """The author confirmed their address: staff may now moderate the profile."""
    if profile.status == ProfileStatus.PENDING:
        profile.status = ProfileStatus.CONFIRMED
        profile.confirmed_at = timezone.now()
        profile.save(update_fields=["status", "confirmed_at", "updated_at"])


def profiles_publish(queryset) -> int:
    return queryset.moderated().update(
        status=ProfileStatus.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now()
    )


def profiles_refuse(queryset) -> int:
    return queryset.moderated().update(status=ProfileStatus.REFUSED, updated_at=timezone.now())


@transaction.atomic
def profile_update(*, form) -> Profile:
    """The author's edit: it goes back to moderation, hidden until staff publish it."""
    profile = form.save(commit=False)
    profile.status = ProfileStatus.CONFIRMED
    profile_fill(profile=profile, data=form.cleaned_data)
    return profile


@transaction.atomic
def profile_delete(*, profile: Profile) -> None:
    """Everything about the profile goes at once: its row, its links, its relay records
    (cascade) and the admin's history of it (whose entries repeat its name)."""
    content_type = ContentType.objects.get_for_model(Profile)
    LogEntry.objects.filter(content_type=content_type, object_id=str(profile.pk)).delete()
    profile.delete()


def manage_link(profile: Profile) -> str:
    """The signed, dated part of a magic link: the profile's id, signed with a key that
    includes its own secret token."""
    return TimestampSigner(salt=f"network.manage.{profile.token}").sign(str(profile.pk))


def profile_from_link(value: str) -> Profile | None:
    """The profile of a valid, unexpired magic link; None otherwise."""
    pk = value.split(":", 1)[0]
    profile = Profile.objects.moderated().filter(pk=pk).first() if pk.isdigit() else None
    if profile is None:
        return None
    try:
        TimestampSigner(salt=f"network.manage.{profile.token}").unsign(
            value, max_age=MANAGE_LINK_MAX_AGE
        )
    except BadSignature:
        return None
    return profile


def manage_links_send(*, email: str, link_for) -> None:
    """E-mail the magic links of the address's confirmed profiles, if it has any.
    The caller answers the same either way, so nobody learns whether it has."""
    profiles = list(Profile.objects.moderated().filter(email__iexact=email).order_by("name"))
    if not profiles:
        return
    links = "\n".join(f"- {profile.name} : {link_for(profile)}" for profile in profiles)
    mail_enqueue(
        "Votre lien pour modifier votre fiche de l’annuaire",
        "Bonjour,\n\nVoici le lien pour modifier ou supprimer votre fiche (valable "
        f"3 jours) :\n\n{links}\n\nSi vous n’avez rien demandé, ignorez cet e-mail.",
        None,
        [profiles[0].email],
    )


def sender_hash(email: str) -> str:
    """A keyed hash of the sender's address: enough to count their messages, not to
    read the address back."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def relay_send(*, profile: Profile, sender: str, message: str, profile_url: str) -> str | None:
    """E-mail a visitor's message to the profile's author, with the visitor's address
    as Reply-To. None when sent; else the French reason it was not (rate limits per
    sender and per profile, counted over the last 24 hours under a lock on the profile)."""
    Profile.objects.select_for_update().filter(pk=profile.pk).first()
    since = timezone.now() - timedelta(days=1)
    recent = RelayMessage.objects.filter(sent_at__gte=since)
    digest = sender_hash(sender)
    if recent.filter(sender_hash=digest).count() >= RELAY_PER_SENDER_PER_DAY:
        return (
            f"Vous avez déjà envoyé {RELAY_PER_SENDER_PER_DAY} messages aujourd’hui par "
            "l’annuaire\u00a0: réessayez demain."
        )
    if recent.filter(profile=profile).count() >= RELAY_PER_PROFILE_PER_DAY:
        return (
            "Cette fiche a reçu beaucoup de messages aujourd’hui\u00a0: réessayez demain, "
            "ou passez par son site web."
        )
    RelayMessage.objects.create(profile=profile, sender_hash=digest)
    mail_enqueue(
        f"Un message pour « {profile.name} » par l’annuaire",
        f"Bonjour,\n\nQuelqu’un vous écrit depuis votre fiche de l’annuaire ({profile_url}). "
        "Répondez à cet e-mail pour lui répondre : votre adresse ne lui a pas été montrée "
        f"jusqu’ici.\n\nDe : {sender}\n\n{message}\n",
        None,
        [profile.email],
        reply_to=[sender],
    )
    return None


def directory_purge() -> int:
    """Relay records older than RELAY_RETENTION_DAYS, and proposals never confirmed
    within PENDING_RETENTION_DAYS, deleted."""
    now = timezone.now()
    relayed = RelayMessage.objects.filter(
        sent_at__lt=now - timedelta(days=RELAY_RETENTION_DAYS)
    ).delete()[0]
    pending = Profile.objects.filter(
        status=ProfileStatus.PENDING, created_at__lt=now - timedelta(days=PENDING_RETENTION_DAYS)
    )
    for profile in pending:
        profile_delete(profile=profile)
    return relayed + len(pending)
