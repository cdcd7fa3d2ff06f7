from django import forms

INVALID_EMAIL = "Cette adresse e-mail n’est pas valide (exemple\u00a0: nom@domaine.fr)."


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Nom et prénom", max_length=200)
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, error_messages={"invalid": INVALID_EMAIL}
    )
    organisation = forms.CharField(
        label="Organisation (facultatif)", max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=(
            "J’accepte que mon nom, mon adresse et mon organisation soient gardés pour cette "
            "inscription, et supprimés 30 jours après l’événement ou dès que je l’annule."
        ),
        error_messages={"required": "Cochez cette case pour vous inscrire."},
    )
