"""Import and export of resources as CSV or XLSX (django-import-export). Rows match
existing resources by slug, then by external URL, so importing a file twice changes
nothing; imported resources keep their status (new ones start as drafts)."""

from django.utils.text import slugify
from import_export import fields, resources, widgets

from resources.enums import Audience, Form, Kind, Language, Level, PartnershipMode, Usage
from resources.models import Organisation, Resource, Tag, Theme
from resources.search import unaccent
from resources.services import resource_refresh_derived


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


def choice_field(name, choices, header):
    return fields.Field(attribute=name, column_name=header, widget=ChoiceWidget(choices))


def choice_list_field(name, choices, header):
    return fields.Field(attribute=name, column_name=header, widget=ChoiceListWidget(choices))


class ResourceImportExport(resources.ModelResource):
    slug = fields.Field(attribute="slug", column_name="slug")
    title = fields.Field(attribute="title", column_name="titre")
    kind = choice_field("kind", Kind.choices, "type")
    summary = fields.Field(attribute="summary", column_name="résumé")
    body = fields.Field(attribute="body", column_name="présentation")
    external_url = fields.Field(attribute="external_url", column_name="lien")
    year = fields.Field(attribute="year", column_name="année", widget=widgets.IntegerWidget())
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
