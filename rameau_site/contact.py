"""The contact form: a visitor writes to the team at SITE_CONTACT_EMAIL (DJANGO_CONTACT_EMAIL).
Rate-limited per client like the other public forms; a hidden "honeypot" field that
people leave empty and robots fill; sent by the task queue (rameau_site/mail.py), which
retries while the mail server refuses. Should sending fail inside the request (the
immediate mode of the tests), the visitor keeps their text on screen with a French
message, and the failure is logged."""

import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rameau_site.mail import mail_enqueue

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 5000


class ContactForm(forms.Form):
    name = forms.CharField(label="Votre nom (facultatif)", max_length=100, required=False)
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Pour vous répondre. Elle ne sert qu’à cela et n’est pas conservée sur ce site.",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail, pour que nous puissions vous répondre.",
            "invalid": "Cette adresse e-mail n’est pas valide "
            "(exemple\u00a0: prenom.nom@exemple.fr).",
        },
    )
    message = forms.CharField(
        label="Votre message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": "Votre message dépasse 5\u00a0000 caractères\u00a0: "
            "raccourcissez-le, ou envoyez-le en deux fois.",
        },
    )
    # The honeypot: hidden from people (and announced as "leave empty" to screen readers).
    reference = forms.CharField(label="Ne remplissez pas ce champ", required=False)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())  # no line break in a header

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("reference"))


def contact_rate(group, request):
    return f"{settings.CONTACT_MESSAGES_PER_HOUR}/h"


def contact_message_send(*, name: str, email: str, message: str) -> None:
    """E-mail the visitor's message to the team, who answer with "Répondre"."""
    sender = f"{name} <{email}>" if name else email
    mail_enqueue(
        f"Message reçu par le formulaire de contact ({name or email})",
        f"De\u00a0: {sender}\n\n{message}\n",
        None,
        [settings.SITE_CONTACT_EMAIL],
        reply_to=[email],
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=contact_rate, method="POST", block=True)
def contact(request):
    form = ContactForm(data=request.POST or None)
    context = {"form": form, "contact_email": settings.SITE_CONTACT_EMAIL,
               "breadcrumbs": [("Contact", None)]}  # fmt: skip
    if not settings.SITE_CONTACT_EMAIL or not form.is_valid():
        return render(request, "pages/contact.html", context)
    if form.is_robot:
        logger.info("Formulaire de contact : champ piège rempli, message ignoré.")
    else:
        try:
            contact_message_send(**{k: form.cleaned_data[k] for k in ("name", "email", "message")})
        except (OSError, smtplib.SMTPException):  # refused, unreachable, timed out, rejected
            logger.exception("Un message du formulaire de contact n’a pas pu être envoyé.")
            context["send_failed"] = True
            return render(request, "pages/contact.html", context)
    messages.success(
        request, "Votre message a été envoyé. Nous vous répondrons à l’adresse indiquée."
    )
    return HttpResponseRedirect(reverse("contact"), status=303)
