"""The admin's import and export pages in French, for every app: field labels from the
models ("Titre", not "Title (titre)"), French messages for a file that cannot be read
(the pages themselves are the templates in templates/admin/import_export/)."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

UNREADABLE_FILE = (
    "Ce fichier n’a pas pu être lu au format choisi. Un fichier CSV doit être du texte "
    "en UTF-8 (dans Excel\u00a0: « Enregistrer sous », type « CSV UTF-8 »)\u00a0; un fichier "
    "XLSX, un classeur Excel. Vérifiez le format choisi, puis envoyez le fichier à nouveau."
)


def field_label(resource_class, field_name: str) -> str:
    """The model field's French name when the column is one field of the model, else
    the column's own name."""
    field = resource_class.fields.get(field_name)
    column = field.column_name if field else field_name
    attribute = (field.attribute if field else None) or field_name
    model = resource_class._meta.model
    if model is not None and "__" not in attribute:
        try:
            verbose = model._meta.get_field(attribute.removesuffix("_id")).verbose_name
        except FieldDoesNotExist:
            pass
        else:
            return capfirst(str(verbose))
    return capfirst(column.replace("_", " "))


class FrenchExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name):
        return field_label(resource, field_name)


class FrenchExportMixin(ExportMixin):
    export_form_class = FrenchExportForm


class FrenchImportExportMixin(ImportExportMixin):
    export_form_class = FrenchExportForm

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error("import_file", UNREADABLE_FILE)
