import re

from django import forms
from django.core.exceptions import ValidationError

from network.enums import ProfileType, StructureKind, Trade
from network.models import Profile
from resources.models import Theme
from territories.models import Departement, Region, communes_matching

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


EMAIL_OR_PHONE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|(?:\+33|\b0)\s*[1-9](?:[\s.-]*\d{2}){4}\b")
PRESENTATION_MAX_LENGTH = 1500
MESSAGE_MAX_LENGTH = 3000
HONEYPOT_LABEL = "Ne remplissez pas ce champ"


class ListField(forms.CharField):
    """Items separated by commas or line breaks, each stripped."""

    def to_python(self, value):
        text = super().to_python(value)
        return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


class ProfileForm(forms.ModelForm):
    """What the person writes on their profile, at first and from the magic link."""

    trades = forms.MultipleChoiceField(
        label="Métiers de la catalyse",
        choices=Trade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les quatre métiers des catalyseurs territoriaux\u00a0: cochez ceux que "
        "vous exercez.",
    )
    regions = forms.ModelMultipleChoiceField(
        label="Régions couvertes",
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departements_text = ListField(
        label="Départements couverts",
        required=False,
        max_length=400,
        help_text="Leurs numéros, séparés par des virgules (exemple\u00a0: 69, 2A, 974).",
    )
    communes_text = ListField(
        label="Communes couvertes",
        required=False,
        max_length=2000,
        help_text="Leurs noms ou leurs codes postaux, séparés par des virgules "
        "(exemple\u00a0: Les Mureaux, 69100).",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.filter(parent=None).order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reference = forms.CharField(label=HONEYPOT_LABEL, required=False)

    class Meta:
        model = Profile
        fields = [
            "profile_type", "name", "organisation", "structure_kind", "trades", "regions",
            "themes", "presentation", "website",
        ]  # fmt: skip
        labels = {
            "profile_type": "Vous présentez",
            "name": "Nom affiché",
            "organisation": "Organisation (facultatif)",
            "structure_kind": "Type de structure (facultatif)",
            "presentation": "Présentation (facultatif)",
            "website": "Site web (facultatif)",
        }
        help_texts = {
            "name": "Votre nom, celui de la structure ou du territoire.",
            "presentation": "1\u00a0500 caractères au plus. Ni adresse e-mail ni téléphone\u00a0: "
            "le formulaire de contact de la fiche les remplace.",
            "website": "Son adresse complète, commençant par https://",
        }
        error_messages = {
            "website": {
                "invalid": "Cette adresse web n’est pas valide (exemple\u00a0: https://exemple.fr)."
            }
        }
        widgets = {"profile_type": forms.RadioSelect, "presentation": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile_type"].choices = ProfileType.choices
        self.fields["structure_kind"].choices = [("", "—")] + StructureKind.choices
        self.fields["presentation"].max_length = PRESENTATION_MAX_LENGTH
        self.fields["presentation"].error_messages["max_length"] = (
            "La présentation dépasse 1\u00a0500 caractères\u00a0: raccourcissez-la."
        )
        self.fields["name"].error_messages["required"] = "Indiquez le nom à afficher."
        self.fields["profile_type"].error_messages["required"] = "Choisissez ce que vous présentez."
        if self.instance.pk and not self.is_bound:
            self.initial["departements_text"] = ", ".join(
                d.code for d in self.instance.departements.all()
            )
            self.initial["communes_text"] = ", ".join(
                f"{c.name} ({c.departement_id})" for c in self.instance.communes.all()
            )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_presentation(self):
        text = self.cleaned_data["presentation"]
        if EMAIL_OR_PHONE.search(text):
            raise ValidationError(
                "Retirez l’adresse e-mail ou le numéro de téléphone\u00a0: la fiche n’en montre "
                "jamais, le formulaire de contact les remplace."
            )
        return text

    def clean_departements_text(self):
        codes = [code.upper().zfill(2) for code in self.cleaned_data["departements_text"]]
        found = {d.code: d for d in Departement.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                f"Numéro de département inconnu\u00a0: {', '.join(unknown)} "
                "(exemple\u00a0: 69, 2A, 974)."
            )
        return list(dict.fromkeys(found[code] for code in codes))

    def clean_communes_text(self):
        communes, problems = [], []
        for item in self.cleaned_data["communes_text"][:50]:
            # "Lyon (69)" as the edit form shows it: the département picks among homonyms.
            match = re.fullmatch(r"(.+?)\s*\((\w{2,3})\)", item)
            name, departement = (match[1], match[2]) if match else (item, None)
            candidates = communes_matching(name, limit=50)
            if departement:
                candidates = [c for c in candidates if c.departement_id == departement.upper()]
            if name.isdigit() and candidates:
                communes += candidates  # a postcode gives all its communes
            elif len(candidates) == 1:
                communes += candidates
            else:
                problems.append(item)
        if problems:
            raise ValidationError(
                f"Commune introuvable ou ambiguë\u00a0: {', '.join(problems)}. Ajoutez son "
                "département entre parenthèses (exemple\u00a0: Saint-Denis (93)) ou son code "
                "postal."
            )
        return list(dict.fromkeys(communes))

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("reference"))


class ProposalForm(ProfileForm):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Pour confirmer la fiche, la modifier et recevoir les messages. Elle n’est "
        "jamais affichée.",
        error_messages={"invalid": INVALID_EMAIL, "required": "Indiquez votre adresse e-mail."},
    )
    consent = forms.BooleanField(
        label=(
            "J’accepte que ces informations soient publiées dans l’annuaire après "
            "modération, et que mon adresse e-mail soit gardée (sans être affichée) pour "
            "gérer la fiche et me transmettre les messages, jusqu’à ce que je la supprime."
        ),
        error_messages={"required": "Cochez cette case pour proposer la fiche."},
    )


class ManageLinkForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la fiche",
        max_length=254,
        error_messages={"invalid": INVALID_EMAIL, "required": "Indiquez votre adresse e-mail."},
    )
    reference = forms.CharField(label=HONEYPOT_LABEL, required=False)


class RelayForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="La personne vous répondra à cette adresse. Elle n’est pas gardée sur ce site.",
        error_messages={
            "invalid": INVALID_EMAIL,
            "required": "Indiquez votre adresse e-mail, pour qu’on puisse vous répondre.",
        },
    )
    message = forms.CharField(
        label="Votre message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": "Votre message dépasse 3\u00a0000 caractères\u00a0: raccourcissez-le.",
        },
    )
    reference = forms.CharField(label=HONEYPOT_LABEL, required=False)
