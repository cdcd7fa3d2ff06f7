import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django import forms
from django.utils import timezone
from django.utils.formats import number_format

from diagnostics.enums import ActorType, Role
from diagnostics.scoring import is_shown
from rameau_site.caching import QUESTION_FIELDS
from resources.french import french_spacing
from territories.models import Commune, communes_matching

YES_NO = [("oui", "Oui"), ("non", "Non")]
REQUIRED = "Répondez à cette question pour continuer."


@dataclass(frozen=True)
class RadioOption:
    id: str
    value: str
    label: str
    checked: bool
    points: int | None = None  # an axis question's choice: what its follow-ups compare


@dataclass(frozen=True)
class Condition:
    """A follow-up question is shown once the answer to `question` (a field name) is
    worth at least `points` (static/js/diagnostic.js reveals it in place)."""

    question: str
    points: int


@dataclass(frozen=True)
class RadioGroup:
    """A radio field ready for the template: its inputs are written directly, which is
    several times faster than rendering one widget template per choice."""

    field: forms.BoundField
    options: list[RadioOption]
    condition: Condition | None = None
    hidden: bool = False  # a follow-up not called for (yet)


def radio_group(field: forms.BoundField, points=None, **extra) -> RadioGroup:
    """`points`: choice id -> points, to write on each option (axis questions)."""
    value = field.value()
    current = "" if value is None else str(value)
    return RadioGroup(
        field,
        [
            RadioOption(
                f"{field.auto_id}_{index}",
                str(choice),
                label,
                str(choice) == current and not extra.get("hidden"),
                points(choice) if points else None,
            )  # fmt: skip
            for index, (choice, label) in enumerate(field.field.choices)
        ],
        **extra,
    )


def error_entry(label: str, message: str) -> str:
    """A line of a step's error summary: "Vous êtes : Répondez…", and after a question
    "…identifiées ? Répondez…" (never "? :")."""
    label = label.rstrip()
    if label.endswith(("?", "!", ":", ".", "…")):
        return f"{label} {message}"
    return f"{label}\u00a0: {message}"


def error_summary(form: forms.Form) -> list[tuple[str, str]]:
    """(id to link to, text) for each visible field in error, in the page's order: a
    radio group links to its first choice."""
    entries = []
    for field in form.visible_fields():
        if field.errors:
            radio = isinstance(field.field.widget, forms.RadioSelect)
            anchor = f"{field.auto_id}_0" if radio else field.auto_id
            entries.append((anchor, error_entry(str(field.label), field.errors[0])))
    return entries


def commune_label(commune: Commune) -> str:
    population = (
        f", {number_format(commune.population, force_grouping=True)} habitants"
        if commune.population
        else ""
    )
    return f"{commune.name} ({commune.departement.name}{population})"


class ProfileForm(forms.Form):
    """Who answers and for which commune (not scored). Works without JavaScript: a name
    or postcode shared by several communes gives a list to choose from."""

    role = forms.ChoiceField(
        label="Vous êtes", choices=Role.choices, widget=forms.RadioSelect, required=False
    )
    commune_query = forms.CharField(
        label="Votre commune",
        help_text=french_spacing(
            "Son nom ou son code postal, par exemple « Charenton-le-Pont » ou « 94220 »."
        ),
        max_length=100,
        required=False,
    )
    commune = forms.ChoiceField(
        label="Précisez votre commune", widget=forms.RadioSelect, required=False
    )
    consent = forms.ChoiceField(
        label=french_spacing(
            "Acceptez-vous que vos réponses soient comptées, de façon anonyme, dans les "
            "statistiques de l’observatoire ?"
        ),
        help_text="Seuls des totaux par région et par taille de commune sont publiés, jamais "
        "une réponse isolée ni un groupe de moins de 5 réponses.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, response, **kwargs):
        initial = {
            "role": response.role,
            "commune_query": response.commune.name if response.commune_id else "",
            "consent": {True: "oui", False: "non"}.get(response.consent, ""),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.response = response
        self.follow_ups: list[tuple[str, str]] = []  # (field id, label) just revealed
        self.candidates: list[Commune] = []
        if self.is_bound:
            self.candidates = communes_matching(self.data.get("commune_query", ""))
        self.fields["commune"].choices = [(c.code, commune_label(c)) for c in self.candidates]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", REQUIRED)
        if not cleaned.get("consent") and "consent" not in self.errors:
            self.add_error("consent", REQUIRED)
        cleaned["commune_obj"] = self.resolve_commune(cleaned)
        return cleaned

    def resolve_commune(self, cleaned) -> Commune | None:
        query = cleaned.get("commune_query", "").strip()
        if not query:
            self.add_error("commune_query", "Indiquez le nom ou le code postal de votre commune.")
            return None
        by_code = {c.code: c for c in self.candidates}
        if cleaned.get("commune") in by_code:
            return by_code[cleaned["commune"]]
        if len(self.candidates) == 1:
            return self.candidates[0]
        if not self.candidates:
            self.add_error(
                "commune_query",
                f"Aucune commune ne correspond à «\u00a0{query}\u00a0». Vérifiez l’orthographe, "
                "ou indiquez le code postal.",
            )
        elif self.data.get("commune_proposee", "").strip() != query:
            # The list appears for the first time: a question to answer, not an error.
            self.follow_ups.append(("id_commune_0", self.fields["commune"].label))
        elif "commune" not in self.errors:
            self.add_error(
                "commune", french_spacing("Plusieurs communes correspondent : choisissez la vôtre.")
            )
        return None

    @cached_property
    def groups(self) -> dict[str, RadioGroup]:
        """The radio fields for the template (read after validation): form.groups.role,
        .commune, .consent."""
        return {name: radio_group(self[name]) for name in ("role", "commune", "consent")}

    @property
    def saves_answers(self) -> bool:
        """Whether this POST brought a valid answer, saved whatever the errors."""
        cleaned = getattr(self, "cleaned_data", {})
        return any(cleaned.get(name) for name in ("role", "commune_obj", "consent"))

    def valid_values(self) -> dict:
        """What can be saved even when the form has errors."""
        cleaned = getattr(self, "cleaned_data", {})
        consent = {"oui": True, "non": False}.get(cleaned.get("consent"), self.response.consent)
        return {
            "role": cleaned.get("role") or self.response.role,
            "commune": cleaned.get("commune_obj") or self.response.commune,
            "consent": consent,
        }


def question_fields(questionnaire, axis, questions) -> dict[str, forms.Field]:
    """One radio field per question of the axis: built once per process for a frozen
    version and shared by the forms (they never change a field; answers come through
    the form's `initial`)."""

    def build():
        return {
            f"q{question.pk}": forms.TypedChoiceField(
                label=french_spacing(question.text),
                help_text=french_spacing(question.help_text),
                choices=[(c.pk, french_spacing(c.label)) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
            for question in questions
        }

    if not questionnaire.is_frozen:
        return build()
    return QUESTION_FIELDS.get_or_compute((questionnaire.pk, questionnaire.version, axis.pk), build)


class AxisStepForm(forms.Form):
    """The questions of one axis, as radio groups. A question that depends on another
    appears once that answer calls for it (without JavaScript: after "Suivant")."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, axis, questionnaire, definition, saved: dict[int, int], **kwargs):
        self.questions = list(axis.questions.all())
        initial = {"version": questionnaire.version}
        initial |= {f"q{q.pk}": saved[q.pk] for q in self.questions if q.pk in saved}
        super().__init__(*args, initial=initial, **kwargs)
        self.axis, self.questionnaire, self.definition = axis, questionnaire, definition
        self.saved = saved
        self.fields.update(question_fields(questionnaire, axis, self.questions))
        self.shown = self.shown_questions(self.merged_answers())
        # Follow-ups the answers of this POST reveal (not shown by the saved answers).
        self.revealed = [q for q in self.shown if q not in self.shown_questions(saved)]
        self.follow_ups: list[tuple[str, str]] = []
        self._not_shown = {}
        for question in self.questions:
            if question not in self.shown:
                self._not_shown[question.pk] = self.fields.pop(f"q{question.pk}")

    @property
    def fragment_key(self) -> str | None:
        """What the questions' HTML depends on, for the template's fragment cache
        (STEP_QUESTIONS in rameau_site/caching.py): a frozen version, the axis, the
        questions shown and the answers ticked. None when it must be rendered (a form
        with errors, a draft questionnaire)."""
        if self.is_bound or not self.questionnaire.is_frozen:
            return None
        ticked = ",".join(f"{q.pk}={self.saved.get(q.pk, '')}" for q in self.questions)
        return f"{self.questionnaire.pk}:{self.questionnaire.version}:{self.axis.pk}:{ticked}"

    def radio_groups(self) -> list[RadioGroup]:
        """Every question of the axis in order; a follow-up not called for is hidden,
        with its condition for the script that reveals it in place."""
        groups = []
        for question in self.questions:
            name = f"q{question.pk}"
            condition = (
                Condition(f"q{question.condition_question_id}", question.condition_min_points)
                if question.condition_question_id
                else None
            )
            hidden = question.pk in self._not_shown
            field = (
                forms.BoundField(self, self._not_shown[question.pk], name) if hidden else self[name]
            )
            groups.append(radio_group(field, self.points, condition=condition, hidden=hidden))
        return groups

    def points(self, choice_id) -> int:
        """As the branching rule reads a choice: "Non concerné" is worth 0."""
        return self.definition.choice(choice_id).points or 0

    def posted_answers(self) -> dict[int, int]:
        """Valid choices in the POST, before full validation (to decide what to show)."""
        if not self.is_bound:
            return {}
        answers = {}
        for question in self.questions:
            value = self.data.get(f"q{question.pk}", "")
            if value.isdigit() and any(int(value) == c.pk for c in question.choices.all()):
                answers[question.pk] = int(value)
        return answers

    def merged_answers(self) -> dict[int, int]:
        return self.saved | self.posted_answers()

    def shown_questions(self, answers):
        by_id = {q.id: q for q in self.definition.questions}
        return [q for q in self.questions if is_shown(by_id[q.pk], answers, self.definition)]

    def clean_version(self):
        version = self.cleaned_data["version"]
        if version != self.questionnaire.version:
            raise forms.ValidationError(
                french_spacing(
                    "Ce formulaire vient d’une autre version du questionnaire : rechargez la page."
                )
            )
        return version

    @property
    def saves_answers(self) -> bool:
        """Whether this POST brought a valid answer, saved whatever the errors."""
        return bool(self.answers())

    def answers(self) -> dict[int, int]:
        """The valid answers of this step (whatever the other fields' errors)."""
        cleaned = getattr(self, "cleaned_data", {})
        if "version" not in cleaned:
            return {}
        return {
            q.pk: cleaned[f"q{q.pk}"]
            for q in self.shown
            if cleaned.get(f"q{q.pk}") not in (None, "")
        }

    def require_all(self) -> None:
        """For "Suivant": every shown question needs an answer; a follow-up this POST
        reveals is first shown as such, not as an error."""
        for question in self.shown:
            name = f"q{question.pk}"
            if name not in self.errors and self.cleaned_data.get(name) in (None, ""):
                if question in self.revealed:
                    self.follow_ups.append((f"id_{name}_0", self.fields[name].label))
                else:
                    self.add_error(name, REQUIRED)


class EmailLinkForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Pour recevoir le lien de reprise. Elle n’est pas enregistrée.",
        max_length=254,
    )


class ParticipantProfileForm(ProfileForm):
    """A participant's profile: their actor type (chosen when joining) and consent; the
    commune is the campaign's."""

    actor_type = forms.ChoiceField(
        label="Vous participez en tant que", choices=ActorType.choices, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, response, **kwargs):
        super().__init__(*args, response=response, **kwargs)
        del self.fields["role"], self.fields["commune_query"], self.fields["commune"]
        self.initial["actor_type"] = response.actor_type
        self.order_fields(["actor_type", "consent"])

    def clean(self):
        cleaned = forms.Form.clean(self)
        for name in ("actor_type", "consent"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, REQUIRED)
        return cleaned

    @cached_property
    def groups(self) -> dict[str, RadioGroup]:
        return {name: radio_group(self[name]) for name in ("actor_type", "consent")}

    @property
    def saves_answers(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return any(cleaned.get(name) for name in ("actor_type", "consent"))

    def valid_values(self) -> dict:
        cleaned = getattr(self, "cleaned_data", {})
        consent = {"oui": True, "non": False}.get(cleaned.get("consent"), self.response.consent)
        return {
            "role": self.response.role,
            "commune": self.response.commune,
            "consent": consent,
            "actor_type": cleaned.get("actor_type") or self.response.actor_type,
        }


class CampaignForm(forms.Form):
    """Creating a shared diagnostic: a name, a commune (found by name or postcode, with
    a list to choose from when several match, without JavaScript), a closing date."""

    name = forms.CharField(
        label="Nom du diagnostic partagé",
        help_text="Par exemple « Conseil de développement 2026 ». Les participants le voient.",
        max_length=120,
        error_messages={"required": "Donnez un nom à ce diagnostic partagé."},
    )
    commune_query = forms.CharField(
        label="Le territoire (commune)",
        help_text=french_spacing(
            "Son nom ou son code postal, par exemple « Vincennes » ou « 94300 »."
        ),
        max_length=100,
        required=False,
    )
    commune = forms.ChoiceField(
        label="Précisez la commune", widget=forms.RadioSelect, required=False
    )
    closes_on = forms.DateField(
        label="Date de clôture (facultative)",
        help_text="Au format jj/mm/aaaa. Après cette date, plus personne ne peut rejoindre ; "
        "les réponses commencées peuvent être terminées pendant 7 jours.",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": "Indiquez une date au format jj/mm/aaaa, par exemple 30/06/2027."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list[Commune] = []
        if self.is_bound:
            self.candidates = communes_matching(self.data.get("commune_query", ""))
        self.fields["commune"].choices = [(c.code, commune_label(c)) for c in self.candidates]

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on and closes_on < today:
            raise forms.ValidationError(
                "La date de clôture est passée : choisissez une date à venir."
            )
        if closes_on and closes_on > today + timedelta(days=730):
            raise forms.ValidationError("Choisissez une date de clôture dans les deux ans.")
        return closes_on

    def clean(self):
        cleaned = super().clean()
        query = cleaned.get("commune_query", "").strip()
        by_code = {c.code: c for c in self.candidates}
        cleaned["commune_obj"] = None
        if not query:
            self.add_error("commune_query", "Indiquez le nom ou le code postal de la commune.")
        elif cleaned.get("commune") in by_code:
            cleaned["commune_obj"] = by_code[cleaned["commune"]]
        elif len(self.candidates) == 1:
            cleaned["commune_obj"] = self.candidates[0]
        elif not self.candidates:
            self.add_error(
                "commune_query",
                f"Aucune commune ne correspond à «\u00a0{query}\u00a0». Vérifiez l’orthographe, "
                "ou indiquez le code postal.",
            )
        else:
            self.add_error(
                "commune",
                french_spacing("Plusieurs communes correspondent : choisissez la bonne."),
            )
        return cleaned

    @cached_property
    def groups(self) -> dict[str, RadioGroup]:
        return {"commune": radio_group(self["commune"])}


class JoinForm(forms.Form):
    actor_type = forms.ChoiceField(
        label="Vous participez en tant que", choices=ActorType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre type d’acteur pour commencer.",
                        "invalid_choice": "Choisissez un type d’acteur de la liste."},
    )  # fmt: skip

    @cached_property
    def groups(self) -> dict[str, RadioGroup]:
        return {"actor_type": radio_group(self["actor_type"])}


class InvitationEmailForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail du destinataire",
        help_text="Elle n’est pas enregistrée : elle sert à cet envoi seulement.",
        max_length=254,
    )


# --- Feuille de route ---------------------------------------------------------------

MONTH_RE = re.compile(r"\s*(?:(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})-(\d{1,2}))\s*")
ROADMAP_MONTHS_AHEAD = 36


def month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str, today: date, kept: str = "") -> date | None:
    """A month typed as mm/aaaa (or aaaa-mm, as a month picker sends it), checked to
    be this month or one of the next ROADMAP_MONTHS_AHEAD; its first day. `kept`, the
    month already saved for this action, stays accepted once it has passed."""
    if not text.strip():
        return None
    found = MONTH_RE.fullmatch(text)
    if not found:
        raise forms.ValidationError("Indiquez le mois au format mm/aaaa, par exemple 03/2027.")
    month, year = (found[1], found[2]) if found[1] else (found[4], found[3])
    month, year = int(month), int(year)
    if not 1 <= month <= 12:
        raise forms.ValidationError(
            french_spacing("Le mois va de 01 à 12 : par exemple 03/2027 pour mars 2027.")
        )
    this_month = today.replace(day=1)
    if (year, month) < (this_month.year, this_month.month):
        if kept and text.strip() == kept:
            return date(year, month, 1)
        raise forms.ValidationError(
            french_spacing(f"Ce mois est passé : choisissez {this_month:%m/%Y} ou un mois à venir.")
        )
    day = date(year, month, 1)
    last = month_add(this_month, ROADMAP_MONTHS_AHEAD)
    if day > last:
        raise forms.ValidationError(
            f"Choisissez un mois dans les {ROADMAP_MONTHS_AHEAD} prochains mois, "
            f"au plus tard {last:%m/%Y}."
        )
    return day


class RoadmapForm(forms.Form):
    """The roadmap's "cible" (a level per axis, from the current one up) and
    "trajectoire" (up to `slots` actions: from the catalogue or in one's own words,
    with who carries it and the month aimed for). `bilan` rows carry the axis's code,
    name and current level; `actions` is the catalogue in suggested order."""

    confirm_freeze = forms.BooleanField(
        label=french_spacing(
            "Je confirme : une fois figée, la feuille de route ne pourra plus être modifiée."
        ),
        required=False,
    )

    def __init__(self, data=None, *, bilan, actions, levels, slots, suggested=0, initial=None):
        super().__init__(data, initial=initial)
        self.slots = slots
        # The select lists the first `suggested` actions apart, under their own heading.
        self.action_groups = [
            {"label": label, "options": [(str(a.pk), a.title) for a in group]}
            for label, group in [
                ("Suggérées d’après les réponses", actions[:suggested]),
                ("Autres actions du catalogue", actions[suggested:]),
            ]
            if group
        ]
        self.actions = {str(a.pk): a for a in actions}
        order = [code for code, _label in levels]
        for axis in bilan:
            start = order.index(axis["level"]) if axis["level"] in order else 0
            choices = [
                (code, f"{label} (niveau actuel)" if code == axis["level"] else label)
                for code, label in levels[start:]
            ]
            self.fields[f"cible_{axis['code']}"] = forms.ChoiceField(
                label=french_spacing(f"Cible pour l’axe « {axis['name']} »"),
                choices=choices if axis["level"] else [("", "Pas de cible"), *choices],
                required=bool(axis["level"]),
                error_messages={
                    "required": "Choisissez le niveau visé pour cet axe.",
                    "invalid_choice": "Choisissez un niveau de la liste (au moins l’actuel).",
                },
            )
        catalogue = [("", "— Aucune action du catalogue —")] + [
            (str(a.pk), a.title) for a in actions
        ]
        for number in range(1, slots + 1):
            self.fields[f"action_{number}"] = forms.ChoiceField(
                label="Action du catalogue", choices=catalogue, required=False,
                error_messages={"invalid_choice": "Choisissez une action de la liste."},
            )  # fmt: skip
            self.fields[f"titre_{number}"] = forms.CharField(
                label="Ou votre propre action", max_length=200, required=False,
                error_messages={"max_length": "Écrivez l’action en 200 caractères au plus."},
            )  # fmt: skip
            self.fields[f"qui_{number}"] = forms.CharField(
                label=french_spacing("Qui la porte ? (facultatif)"), max_length=200, required=False,
                help_text="Une personne, un service, une structure.",
                error_messages={"max_length": "Écrivez le porteur en 200 caractères au plus."},
            )  # fmt: skip
            self.fields[f"mois_{number}"] = forms.CharField(
                label="Mois visé (facultatif)", max_length=10, required=False,
                help_text=french_spacing("Au format mm/aaaa, par exemple « 03/2027 »."),
            )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        chosen = set()
        for number in range(1, self.slots + 1):
            action, title = cleaned.get(f"action_{number}"), cleaned.get(f"titre_{number}", "")
            try:
                cleaned[f"mois_{number}"] = parse_month(
                    self.data.get(f"mois_{number}", ""), today,
                    kept=self.initial.get(f"mois_{number}", ""),
                )  # fmt: skip
            except forms.ValidationError as error:
                self.add_error(f"mois_{number}", error)
            if action and title.strip():
                self.add_error(
                    f"titre_{number}",
                    "Choisissez une action du catalogue ou écrivez la vôtre, pas les deux.",
                )
            elif action and action in chosen:
                self.add_error(f"action_{number}", "Cette action est déjà choisie plus haut.")
            elif (
                not action
                and not title.strip()
                and (cleaned.get(f"qui_{number}") or self.data.get(f"mois_{number}", "").strip())
            ):
                self.add_error(
                    f"action_{number}",
                    "Choisissez une action ou écrivez la vôtre pour ce porteur ou ce mois.",
                )
            chosen.add(action)
        return cleaned

    def rows(self) -> list[dict]:
        return [
            {"number": n, "action": self[f"action_{n}"], "groups": self.action_groups,
             "title": self[f"titre_{n}"],
             "owner": self[f"qui_{n}"], "month": self[f"mois_{n}"]}
            for n in range(1, self.slots + 1)
        ]  # fmt: skip

    def target_fields(self):
        return [field for field in self if field.name.startswith("cible_")]

    def targets(self) -> dict[str, str | None]:
        return {
            name.removeprefix("cible_"): value or None
            for name, value in self.cleaned_data.items()
            if name.startswith("cible_")
        }

    def items(self) -> list[dict]:
        """The filled rows, in order, as roadmap_save takes them."""
        found = []
        for n in range(1, self.slots + 1):
            action = self.actions.get(self.cleaned_data.get(f"action_{n}") or "")
            title = self.cleaned_data.get(f"titre_{n}", "").strip()
            if action or title:
                found.append({"action": action, "title": title,
                              "owner": self.cleaned_data.get(f"qui_{n}", "").strip(),
                              "target_month": self.cleaned_data.get(f"mois_{n}")})  # fmt: skip
        return found

    def summary(self) -> list[tuple[str, str]]:
        """The error summary's lines, each action's fields named with its number."""
        entries = []
        for field in self.visible_fields():
            if field.errors:
                label = str(field.label)
                number = field.name.rpartition("_")[2]
                if not field.name.startswith(("cible_", "confirm")):
                    label = f"Action {number}, {label[0].lower()}{label[1:]}"
                entries.append((field.auto_id, error_entry(label, field.errors[0])))
        return entries

    @staticmethod
    def initial_from(targets: dict, items) -> dict:
        initial = {f"cible_{code}": level or "" for code, level in targets.items()}
        for n, item in enumerate(items, start=1):
            initial |= {
                f"action_{n}": str(item.action_id) if item.action_id else "",
                f"titre_{n}": item.title,
                f"qui_{n}": item.owner,
                f"mois_{n}": f"{item.target_month:%m/%Y}" if item.target_month else "",
            }
        return initial
