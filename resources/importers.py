"""Import and export of resources as CSV or XLSX (django-import-export). Rows match
existing resources by slug, then by external URL, so importing a file twice changes
nothing; imported resources keep their status (new ones start as drafts)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from import_export import fields, resources, widgets

from resources.enums import Audience, Form, Kind, Language, Level, PartnershipMode, Usage
from resources.models import Organisation, Resource, Tag, Theme
from resources.search import unaccent
from resources.services import resource_refresh_derived


class PlainIntegerWidget(widgets.IntegerWidget):
    """A whole number written without thousands separators ("2011", not "2 011": the
    French locale's grouping would break a re-import and spreadsheets), read back with
    or without them; a French message when it is not a number."""

    label = "un nombre entier"

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = str(value).strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        if text.endswith(".0"):  # a whole number read from a spreadsheet
            text = text[:-2]
        if not text.isdigit():
            raise ValueError(f"« {value} » n’est pas {self.label}.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YearWidget(PlainIntegerWidget):
    label = "une année (quatre chiffres, par exemple 2018)"

    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if year is not None and not 1900 <= year <= 2100:
            raise ValueError(f"Année hors limites\u00a0: {year} (attendue entre 1900 et 2100).")
        return year


def choice_key(text: str) -> str:
    return unaccent(str(text)).strip()


class ChoiceWidget(widgets.Widget):
    """One value of a fixed list, given as its code or its label ("guide" or "Guide / méthode")."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self.lookup = {choice_key(v): v for v, _ in choices} | {
            choice_key(label): v for v, label in choices
        }
        super().__init__(**kwargs)

    def clean_one(self, text):
        key = choice_key(text)
        if key not in self.lookup:
            allowed = ", ".join(v for v, _ in self.choices)
            raise ValueError(f"« {text} » n’est pas une valeur connue (valeurs : {allowed}).")
        return self.lookup[key]

    def clean(self, value, row=None, **kwargs):
        return self.clean_one(value) if value not in (None, "") else ""

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ChoiceListWidget(ChoiceWidget):
    """Several values of a fixed list separated by commas or semicolons."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return []
        parts = [p for p in str(value).replace(";", ",").split(",") if p.strip()]
        return list(dict.fromkeys(self.clean_one(p) for p in parts))

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Like ManyToManyWidget, but an unknown value is an error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return self.model.objects.none()
        wanted = [v.strip() for v in str(value).replace(";", ",").split(",") if v.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        missing = set(wanted) - {str(getattr(obj, self.field)) for obj in found}
        if missing:
            raise ValueError(
                f"Inconnu{'s' if len(missing) > 1 else ''} : {', '.join(sorted(missing))}."
            )
        return found


class TagsWidget(widgets.ManyToManyWidget):
    """Tag names separated by commas; a new name creates the tag."""

    def __init__(self):
        super().__init__(Tag, field="name")

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(",") if n.strip()]
        tags = []
        for name in dict.fromkeys(names):
            tag = Tag.objects.filter(name__iexact=name).first()
            tags.append(tag or Tag.objects.create(name=name[:100]))
        return tags


class ColumnNamedErrors:
    """A row's errors named by the file's column ("type", as in the file) rather than
    by the model field's code ("kind")."""

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        error = result.validation_error
        if error is not None and hasattr(error, "error_dict"):
            columns = {field.attribute: field.column_name for field in self.fields.values()}
            result.validation_error = ValidationError(
                {
                    key if key == NON_FIELD_ERRORS else columns.get(key, key): messages
                    for key, messages in error.error_dict.items()
                }
            )
        return result


def choice_field(name, choices, header):
    return fields.Field(attribute=name, column_name=header, widget=ChoiceWidget(choices))


def choice_list_field(name, choices, header):
    return fields.Field(attribute=name, column_name=header, widget=ChoiceListWidget(choices))


class ResourceImportExport(ColumnNamedErrors, resources.ModelResource):
    slug = fields.Field(attribute="slug", column_name="slug")
    title = fields.Field(attribute="title", column_name="titre")
    kind = choice_field("kind", Kind.choices, "type")
    summary = fields.Field(attribute="summary", column_name="résumé")
    body = fields.Field(attribute="body", column_name="présentation")
    external_url = fields.Field(attribute="external_url", column_name="lien")
    year = fields.Field(attribute="year", column_name="année", widget=YearWidget())
    language = choice_field("language", Language.choices, "langue")
    duration = fields.Field(attribute="duration", column_name="durée")
    cost = fields.Field(attribute="cost", column_name="coût")
    audiences = choice_list_field("audiences", Audience.choices, "publics")
    usages = choice_list_field("usages", Usage.choices, "usages")
    levels = choice_list_field("levels", Level.choices, "niveaux")
    forms = choice_list_field("forms", Form.choices, "formes")
    modes = choice_list_field("modes", PartnershipMode.choices, "modes")
    themes = fields.Field(
        attribute="themes", column_name="thèmes", widget=StrictManyToManyWidget(Theme, field="slug")
    )
    publishers = fields.Field(
        attribute="publishers",
        column_name="éditeurs",
        widget=StrictManyToManyWidget(Organisation, field="slug"),
    )
    tags = fields.Field(attribute="tags", column_name="mots-clés", widget=TagsWidget())
    status = fields.Field(attribute="status", column_name="statut", readonly=True)

    class Meta:
        model = Resource
        fields = [
            "slug", "title", "kind", "summary", "body", "external_url", "year", "language",
            "duration", "cost", "audiences", "usages", "levels", "forms", "modes", "themes",
            "publishers", "tags", "status",
        ]  # fmt: skip
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        # A misspelt column would be silently ignored, its data lost: refuse the file.
        known = [field.column_name for field in self.get_import_fields()]
        unknown = [header for header in dataset.headers if header not in known]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            names = ", ".join(f"« {header} »" for header in unknown)
            raise ValueError(
                f"Colonne{plural} inconnue{plural}\u00a0: {names}. "
                f"Colonnes possibles\u00a0: {', '.join(known)}."
            )
        if "slug" not in dataset.headers:  # the slug is then found or made row by row
            dataset.append_col([""] * len(dataset), header="slug")

    def before_import_row(self, row, **kwargs):
        # A row without a slug gets the one its title gives, or the slug of the resource
        # that already has its URL.
        if not (row.get("slug") or "").strip():
            url = (row.get("lien") or "").strip()
            existing = Resource.objects.filter(external_url=url).first() if url else None
            row["slug"] = existing.slug if existing else slugify(row.get("titre") or "")[:250]

    def after_save_instance(self, instance, row, **kwargs):
        instance._needs_refresh = True

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if getattr(instance, "_needs_refresh", False):
            resource_refresh_derived(resource=instance)
