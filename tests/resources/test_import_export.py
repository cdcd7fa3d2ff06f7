"""Importing resources from CSV/XLSX in the admin: dry run line by line, all or nothing,
idempotent; and exporting the filtered list."""

import csv
import io

import pytest

from resources.models import Resource, Tag
from tests.resources.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.ignore_template_errors  # Django's and import-export's templates
IMPORT_URL = "/admin/resources/resource/import/"
HEADER = ["slug", "titre", "type", "résumé", "lien", "année", "publics", "thèmes", "mots-clés"]


def csv_file(rows, name="ressources.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    file = io.BytesIO(buffer.getvalue().encode())
    file.name = name
    return file


def rows(bad_line: int | None = None):
    """100 resources; the data line `bad_line` (1-based) has an unknown type."""
    result = []
    for n in range(1, 101):
        kind = "brochure" if n == bad_line else ("guide" if n % 2 else "Étude")
        result.append([
            f"import-{n}", f"Ressource importée {n}", kind, f"Résumé {n}.",
            f"https://exemple.fr/ressource/{n}", "2024", "collectivites; associations",
            "gouvernance", "import, alliance",
        ])  # fmt: skip
    return result


def dry_run(client, file):
    return client.post(IMPORT_URL, {"import_file": file, "format": "0"})


def confirm(client, dry_run_response):
    form = dry_run_response.context["confirm_form"]
    return client.post(
        "/admin/resources/resource/process_import/",
        {name: form.initial.get(name, field.initial) for name, field in form.fields.items()},
    )


@pytest.fixture
def governance(db):
    return ThemeFactory(name="Gouvernance", slug="gouvernance")


def test_a_bad_line_is_reported_with_its_reason_and_nothing_is_written(editor_client, governance):
    response = dry_run(editor_client, csv_file(rows(bad_line=57)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "« brochure » n’est pas une valeur connue" in html
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [57]
    assert response.context.get("confirm_form") is None  # nothing to confirm
    assert not Resource.objects.exists()
    assert not Tag.objects.exists()


def test_a_fixed_file_imports_once_even_when_imported_twice(editor_client, governance):
    first = dry_run(editor_client, csv_file(rows()))
    assert first.status_code == 200
    assert not Resource.objects.exists()  # a dry run writes nothing
    totals = first.context["result"].totals
    assert (totals["new"], totals["error"], totals["invalid"]) == (100, 0, 0)

    assert confirm(editor_client, first).status_code == 302
    assert Resource.objects.count() == 100
    resource = Resource.objects.get(slug="import-56")
    assert resource.status == "brouillon"  # imports never publish
    assert resource.kind == "etude" and resource.audiences == ["collectivites", "associations"]
    assert set(resource.tags.names()) == {"import", "alliance"}
    assert resource.search_tags == "alliance import"
    assert list(resource.themes.all()) == [governance]
    versions = resource.history.count()

    second = dry_run(editor_client, csv_file(rows()))
    totals = second.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 100)
    confirm(editor_client, second)
    assert Resource.objects.count() == 100
    assert Resource.objects.get(slug="import-56").history.count() == versions


def test_a_row_without_slug_matches_the_resource_with_the_same_url(administrator_client, db):
    existing = ResourceFactory(slug="deja-la", external_url="https://exemple.fr/ressource/1")
    file = csv_file([["", "Titre mis à jour", "guide", "Résumé.", existing.external_url, "", "",
                      "", ""]])  # fmt: skip

    result = dry_run(administrator_client, file)
    assert result.context["result"].totals["update"] == 1
    confirm(administrator_client, result)
    existing.refresh_from_db()
    assert existing.title == "Titre mis à jour" and Resource.objects.count() == 1
    assert existing.status == "publie"  # the status is not the file's to change


def test_the_export_follows_the_list_filters(administrator_client, db):
    ResourceFactory(title="Un guide", kind="guide")
    ResourceFactory(title="Une étude", kind="etude")

    response = administrator_client.post(
        "/admin/resources/resource/export/?kind__exact=etude",
        {"format": "0", "resource": "0", **{f"resourceimportexport_{f}": "on" for f in [
            "slug", "title", "kind"]}},
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:2000]
    content = response.content.decode("utf-8-sig")
    assert "Une étude" in content and "Un guide" not in content


def test_a_dry_run_with_a_bad_line_also_shows_the_valid_lines_in_french(editor_client, governance):
    file = csv_file(rows(bad_line=2)[:3] + [[
        "import-4", "Année illisible", "guide", "R.", "https://exemple.fr/4", "deux mille",
        "", "", "",
    ]])  # fmt: skip

    response = dry_run(editor_client, file)

    text = " ".join(response.content.decode().split())
    assert "2 lignes à corriger" in text
    assert "<strong>type</strong>&nbsp;: « brochure » n’est pas une valeur connue" in text
    assert "<strong>année</strong>&nbsp;: « deux mille » n’est pas une année" in text
    assert "2 lignes valides, importées une fois le fichier corrigé" in text
    assert "Ressource importée 1" in text and "Ressource importée 3" in text
    assert "kind" not in text and "ConversionSyntax" not in text
    assert response.context.get("confirm_form") is None
    assert not Resource.objects.exists()


def test_an_unknown_column_or_an_unreadable_file_is_explained_in_french(editor_client, db):
    file = io.BytesIO("titre,type,résumé,auteur\nUn titre,guide,R.,Moi\n".encode())
    file.name = "ressources.csv"
    text = dry_run(editor_client, file).content.decode()
    assert "Colonne inconnue\u00a0: « auteur »" in text
    assert "Traceback" not in text

    binary = io.BytesIO(b"\xff\xfe\x00\x00 pas du texte \x81\x82")
    binary.name = "ressources.csv"
    text = dry_run(editor_client, binary).content.decode()
    assert "Ce fichier n’a pas pu être lu au format choisi" in text
    assert "UnicodeDecodeError" not in text


def test_a_file_without_a_slug_column_gets_slugs_from_the_titles(editor_client, db):
    file = io.BytesIO("titre,type,résumé,année\nGuide sans slug,guide,Résumé.,2 019\n".encode())
    file.name = "ressources.csv"
    first = dry_run(editor_client, file)
    assert first.context["result"].totals["new"] == 1, first.content.decode()[-3000:]
    confirm(editor_client, first)
    assert Resource.objects.get(slug="guide-sans-slug").year == 2019


def test_exports_name_columns_in_french_and_write_years_without_separator(administrator_client, db):
    ResourceFactory(title="Un guide", year=2011)

    form = administrator_client.get("/admin/resources/resource/export/").content.decode()
    assert ">Titre</label>" in form and ">Lien externe</label>" in form
    assert "Title" not in form and "Select all" not in form

    fields = {f"resourceimportexport_{f}": "on" for f in ["slug", "title", "year"]}
    response = administrator_client.post(
        "/admin/resources/resource/export/", {"format": "0", "resource": "0", **fields}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:] == ["Un guide", "2011"]


def test_the_observatory_export_writes_waves_without_separator(administrator_client, db):
    from observatory.models import Indicator, Observation, Source

    indicator = Indicator.objects.create(
        slug="part", title="Part", unit="pourcent", theme="innovation"
    )
    source = Source.objects.create(title="Étude", organisation="Organisme")
    Observation.objects.create(
        indicator=indicator, unit="pourcent", wave=2016, value=42, n=1500, source=source
    )
    fields = {f"observationimport_{f}": "on" for f in ["indicator", "wave", "n"]}
    response = administrator_client.post(
        "/admin/observatory/observation/export/", {"format": "0", "resource": "0", **fields}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["indicateur", "vague", "n"], ["part", "2016", "1500"]]
