"""Open data that validates, and staff imports that are all or nothing."""

import io
import json

import pytest
from frictionless import Package, Resource, validate

from observatory.models import Observation

pytestmark = pytest.mark.ignore_template_errors  # Django's and import-export's templates
HEADER = "indicateur,vague,vague_libelle,region,population,ventilation,modalite,valeur,n,note,source,donnees_de_demonstration\n"  # noqa: E501


def test_the_data_package_validates_with_frictionless(client, observatory, tmp_path):
    content = b"".join(client.get("/observatoire/donnees.csv").streaming_content)
    # French Excel, on double-click: UTF-8 only with a byte order mark, columns on ";".
    assert content.startswith("\ufeffindicateur;titre;unite;".encode())
    (tmp_path / "donnees.csv").write_bytes(content)
    descriptor = client.get("/observatoire/datapackage.json").json()
    assert descriptor["resources"][0]["path"].endswith("/observatoire/donnees.csv")
    descriptor["resources"][0]["path"] = "donnees.csv"  # validate the downloaded copy
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))

    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("observations").read_rows()
    assert len(rows) == Observation.objects.count() == 65
    assert Resource


def csv_file(lines: str, name="observations.csv"):
    file = io.BytesIO((HEADER + lines).encode())
    file.name = name
    return file


def dry_run(client, file):
    return client.post(
        "/admin/observatory/observation/import/", {"import_file": file, "format": "0"}
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(
        "/admin/observatory/observation/process_import/",
        {name: form.initial.get(name, field.initial) for name, field in form.fields.items()},
    )


GOOD = (
    "devoir-d-alliance,2025,Vague 2025,,citoyens,,,71,1000,,9,false\n"
    "communes-en-dynamique,2025,Vague 2025,53,maires,,,64.5,120,,12,true\n"
)


def test_each_rejected_line_says_why_and_nothing_is_written(administrator_client, observatory):
    before = Observation.objects.count()
    bad = GOOD + (
        "inconnu,2025,,,citoyens,,,50,,,9,false\n"
        "devoir-d-alliance,2025,,99,citoyens,,,50,,,9,false\n"
        "devoir-d-alliance,2026,,,citoyens,,,150,,,9,false\n"
        "devoir-d-alliance,2025,Vague 2025,,citoyens,,,72,1000,,9,false\n"
    )
    response = dry_run(administrator_client, csv_file(bad))
    html = response.content.decode()
    assert "Indicateur inconnu(e) : « inconnu »" in html
    assert "Région inconnu(e) : « 99 »" in html
    assert "Valeur hors limites : 150" in html
    assert "Doublon : même case que la ligne" in html
    assert response.context.get("confirm_form") is None
    assert Observation.objects.count() == before


def test_a_good_file_imports_once_even_twice(administrator_client, observatory, client):
    before = Observation.objects.count()
    first = dry_run(administrator_client, csv_file(GOOD))
    assert first.context["result"].totals["new"] == 2
    assert confirm(administrator_client, first).status_code == 302
    assert Observation.objects.count() == before + 2
    imported = Observation.objects.get(indicator__slug="communes-en-dynamique", region_id="53")
    assert imported.unit == "pourcent" and imported.is_demo

    second = dry_run(administrator_client, csv_file(GOOD))
    assert second.context["result"].totals["skip"] == 2
    confirm(administrator_client, second)
    assert Observation.objects.count() == before + 2
    html = client.get("/observatoire/indicateurs/devoir-d-alliance/").content.decode()
    assert "71" in html
