"""Registration for an event on this site: requested with a form, confirmed from the
e-mailed link while places remain (counted under a lock on the event), cancelled by
deleting it.

The directory's writes: a profile proposed, confirmed by its author (double opt-in),
moderated by staff, edited or deleted from a magic link; messages relayed by e-mail."""

import hashlib
import hmac
from datetime import timedelta

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
from rameau_site.mail import mail_enqueue

RETENTION_DAYS = 30  # registrations are deleted this long after their event


@transaction.atomic
def registration_request(
    *, event: Event, name: str, email: str, organisation: str, link_for
) -> Registration:
    """A pending registration (or the existing one for this address, left as it is)
    and the e-mail with its link; `link_for(registration)` gives the absolute URL."""
    registration, _created = Registration.objects.get_or_create(
        event=event, email=email, defaults={"name": name, "organisation": organisation}
    )
    mail_enqueue(
        f"Votre inscription : {event.title}",
        f"Bonjour,\n\nPour confirmer votre inscription à « {event.title} » "
        f"({when_label(event.starts_at, event.ends_at)}), ouvrez ce lien :\n\n"
        f"{link_for(registration)}\n\nLe même lien permet de l’annuler. Sans confirmation, "
        "aucune place ne vous est réservée.\n\nSi vous n’avez rien demandé, ignorez cet e-mail.",
        None,
        [email],
    )
    return registration


def places_left(event: Event) -> int:
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max((event.capacity or 0) - taken, 0)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> bool:
    """Confirm while a place remains; False when the event is full. The event row is
    locked, so two confirmations of the last place give it to one of them only."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return True
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if not event.registers_here or places_left(event) <= 0:
        return False
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    return True


def registration_cancel(*, registration: Registration) -> None:
    """The registration and the personal data in it are deleted at once."""
    registration.delete()


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
