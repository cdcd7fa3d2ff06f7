import re

from django import forms

from kit.models import new_token

TOKEN_FORM_RE = re.compile(r"[A-Za-z0-9_-]{32}")


class StartForm(forms.Form):
    """Carries the token of the progress it will create: sent twice, it creates one."""

    jeton = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jeton"].initial = new_token()

    def clean_jeton(self):
        token = self.cleaned_data["jeton"]
        if not TOKEN_FORM_RE.fullmatch(token):
            raise forms.ValidationError("Jeton invalide.")
        return token


class EmailLinkForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Pour recevoir le lien de suivi. Elle n’est pas enregistrée.",
        max_length=254,
    )
