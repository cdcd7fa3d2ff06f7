"""The official list of regions, départements and communes, vendored in territories/data/.

Source: the npm package @etalab/decoupage-administratif (MIT licence, see
data/LICENSE-decoupage-administratif.txt and data/SOURCE.md). Only current communes of
the 18 regions are kept. `make territories-data` refreshes the files from the package;
nothing is fetched at run time.
"""

import csv
import gzip
import io
import json
from pathlib import Path

from territories.enums import REGION_CODES

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv"
DEPARTEMENTS_FILE = DATA_DIR / "departements.csv"
COMMUNES_FILE = DATA_DIR / "communes.csv.gz"


def build_from_package(package_dir: Path) -> dict[str, int]:
    """Rewrite the vendored CSV files from an unpacked @etalab/decoupage-administratif."""
    data = Path(package_dir) / "data"
    regions = [
        r for r in json.loads((data / "regions.json").read_text()) if r["code"] in REGION_CODES
    ]
    departements = [
        d
        for d in json.loads((data / "departements.json").read_text())
        if d["region"] in REGION_CODES
    ]
    kept_departements = {d["code"] for d in departements}
    communes = [
        c
        for c in json.loads((data / "communes.json").read_text())
        if c.get("type") == "commune-actuelle" and c.get("departement") in kept_departements
    ]
    with REGIONS_FILE.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "nom"])
        writer.writerows(sorted((r["code"], r["nom"]) for r in regions))
    with DEPARTEMENTS_FILE.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "nom", "region"])
        writer.writerows(sorted((d["code"], d["nom"], d["region"]) for d in departements))
    # mtime=0 keeps the file byte-identical when the data has not changed.
    with gzip.GzipFile(COMMUNES_FILE, "wb", mtime=0) as raw:
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["code", "nom", "departement", "region", "population", "codes_postaux"])
            for c in sorted(communes, key=lambda c: c["code"]):
                writer.writerow(
                    [
                        c["code"],
                        c["nom"],
                        c["departement"],
                        c["region"],
                        c.get("population", ""),
                        " ".join(c.get("codesPostaux", [])),
                    ]
                )
    return {"regions": len(regions), "departements": len(departements), "communes": len(communes)}


def read_regions() -> list[dict]:
    with REGIONS_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_departements() -> list[dict]:
    with DEPARTEMENTS_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_communes() -> list[dict]:
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(Region, Departement, Commune) -> dict[str, int]:  # noqa: N803 (model classes)
    """Insert or update every row of the vendored files. Takes the model classes so that
    a data migration can pass its historical models."""
    regions = [Region(code=r["code"], name=r["nom"]) for r in read_regions()]
    Region.objects.bulk_create(
        regions, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    departements = [
        Departement(code=d["code"], name=d["nom"], region_id=d["region"])
        for d in read_departements()
    ]
    Departement.objects.bulk_create(
        departements,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "region"],
    )
    communes = [
        Commune(
            code=c["code"],
            name=c["nom"],
            departement_id=c["departement"],
            region_id=c["region"],
            population=int(c["population"]) if c["population"] else None,
            postcodes=c["codes_postaux"].split(),
        )
        for c in read_communes()
    ]
    Commune.objects.bulk_create(
        communes,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "departement", "region", "population", "postcodes"],
    )
    return {"regions": len(regions), "departements": len(departements), "communes": len(communes)}
