from django import forms

from alerts.enums import Frequency

INVALID_EMAIL = "Cette adresse e-mail n’est pas valide (exemple\u00a0: nom@domaine.fr)."


class HoneypotForm(forms.Form):
    # The honeypot (as the contact form's): hidden from people, filled by robots.
    reference = forms.CharField(label="Ne remplissez pas ce champ", required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("reference"))


class AlertForm(HoneypotForm):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez l’adresse e-mail où recevoir l’alerte.",
            "invalid": INVALID_EMAIL,
        },
    )
    frequency = forms.ChoiceField(
        label="Fréquence",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une fréquence.",
            "invalid_choice": "Choisissez «\u00a0Chaque semaine\u00a0» "
            "ou «\u00a0Chaque jour\u00a0».",
        },
    )
    consent = forms.BooleanField(
        label=(
            "J’accepte que mon adresse e-mail soit gardée pour m’envoyer cette alerte, et "
            "supprimée dès que j’annule ma dernière alerte."
        ),
        error_messages={"required": "Cochez cette case pour recevoir l’alerte."},
    )
    field_order = ["email", "frequency", "consent", "reference"]


class ManageLinkForm(HoneypotForm):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez l’adresse e-mail de vos alertes.",
            "invalid": INVALID_EMAIL,
        },
    )
    field_order = ["email", "reference"]
