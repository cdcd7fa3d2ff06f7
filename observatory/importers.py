"""Importing observations from CSV (django-import-export): each rejected line says why
(unknown indicator or region, value out of range, duplicate); a row matches an existing
observation on its cell (indicator, wave, territory, population, breakdown), so the same
file twice changes nothing."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from observatory.enums import Breakdown, Population
from observatory.models import UNIT_RANGES, Indicator, Observation, Source
from resources.importers import ColumnNamedErrors, PlainIntegerWidget
from territories.models import Region

KEY = ["indicator", "wave", "region", "population", "breakdown", "breakdown_value"]


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    def __init__(self, model, field, label):
        super().__init__(model, field)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"{self.label} inconnu(e) : « {value} ».") from None


class ChoiceCodeWidget(widgets.Widget):
    def __init__(self, choices, label):
        super().__init__()
        self.codes = {value for value, _ in choices}
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if value not in self.codes:
            raise ValueError(f"{self.label} inconnu(e) : « {value} ».")
        return value


class ObservationImport(ColumnNamedErrors, resources.ModelResource):
    indicator = fields.Field(
        attribute="indicator", column_name="indicateur",
        widget=StrictForeignKeyWidget(Indicator, "slug", "Indicateur"),
    )  # fmt: skip
    wave = fields.Field(attribute="wave", column_name="vague", widget=PlainIntegerWidget())
    wave_label = fields.Field(attribute="wave_label", column_name="vague_libelle")
    region = fields.Field(
        attribute="region", column_name="region",
        widget=StrictForeignKeyWidget(Region, "code", "Région"),
    )  # fmt: skip
    population = fields.Field(
        attribute="population", column_name="population",
        widget=ChoiceCodeWidget(Population.choices, "Population"),
    )  # fmt: skip
    breakdown = fields.Field(
        attribute="breakdown", column_name="ventilation",
        widget=ChoiceCodeWidget(Breakdown.choices, "Ventilation"),
    )  # fmt: skip
    breakdown_value = fields.Field(attribute="breakdown_value", column_name="modalite")
    value = fields.Field(attribute="value", column_name="valeur", widget=widgets.DecimalWidget())
    n = fields.Field(attribute="n", column_name="n", widget=PlainIntegerWidget())
    note = fields.Field(attribute="note", column_name="note")
    source = fields.Field(
        attribute="source", column_name="source",
        widget=StrictForeignKeyWidget(Source, "pk", "Source (numéro)"),
    )  # fmt: skip
    is_demo = fields.Field(
        attribute="is_demo", column_name="donnees_de_demonstration",
        widget=widgets.BooleanWidget(),
    )  # fmt: skip

    class Meta:
        model = Observation
        import_id_fields = KEY
        fields = [*KEY, "wave_label", "value", "n", "note", "source", "is_demo"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        # An unknown indicator or region is reported as the row's validation error (with
        # the other rows' errors), not as an exception while looking the row up.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def before_import(self, dataset, **kwargs):
        self.seen_keys = {}
        self.line = 0

    def before_import_row(self, row, **kwargs):
        self.line += 1
        for name in ("region", "ventilation", "modalite", "vague_libelle", "note", "n"):
            row[name] = (row.get(name) or "").strip()
        if row.get("region", "").upper() == "FR":
            row["region"] = ""
        row["valeur"] = (row.get("valeur") or "").replace(",", ".").strip()
        columns = ("indicateur", "vague", "region", "population", "ventilation", "modalite")
        key = tuple((row.get(c) or "").strip() for c in columns)
        # A repeated cell is reported on its second line, as a validation error.
        row["_doublon_de"] = self.seen_keys.setdefault(key, self.line)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if row.get("_doublon_de") != self.line:
            raise ValidationError(
                {"indicator": f"Doublon : même case que la ligne {row['_doublon_de']} du fichier."}
            )
        if instance.indicator_id:
            instance.unit = instance.indicator.unit
            limit = UNIT_RANGES.get(instance.unit)
            value = instance.value
            if value is not None and (value < 0 or (limit is not None and value > limit)):
                expected = f"entre 0 et {limit}" if limit is not None else "positive"
                message = f"Valeur hors limites : {value} (attendue {expected})."
                raise ValidationError({"value": message})
