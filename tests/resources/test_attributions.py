"""The demo resources and cases credit only what their sources say (seeds/, FACTS.md)."""

import json
import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def records(*names):
    for name in names:
        yield from json.loads((FIXTURES / name).read_text())


def resources():
    organisations = {
        o["pk"]: o["fields"]["name"]
        for o in records("01_taxonomy.json")
        if o["model"] == "resources.organisation"
    }
    for item in records("02_resources.json", "03_cases.json"):
        if item["model"] == "resources.resource":
            fields = item["fields"]
            fields["publisher_names"] = [organisations[pk] for pk in fields["publishers"]]
            yield fields


def text_of(fields) -> str:
    keys = ("title", "summary", "body", "actions", "impact_performance", "impact_innovation")
    return " ".join(fields.get(key) or "" for key in keys)


def by_slug(slug):
    return next(r for r in resources() if r["slug"] == slug)


def test_publishers_are_those_the_sources_name():
    assert (
        "Le RAMEAU" not in by_slug("mooc-les-partenariats-qui-changent-le-monde")["publisher_names"]
    )
    # IMPACTS & TRAJECTOIRES, IMPACT-Citoyens, IMPACT-Associations & Territoires: their
    # sources (letowski.fr, banquedesterritoires.fr, latwoconseil.fr) name no author.
    for slug in ("impacts-et-trajectoires-2024-maires", "impact-citoyens-2019",
                 "impact-associations-et-territoires"):  # fmt: skip
        fields = by_slug(slug)
        assert fields["publisher_names"] == [], slug
        assert "du RAMEAU" not in text_of(fields), slug
    sources = [o["fields"] for o in records("05_observatory.json")
               if o["model"] == "observatory.source"]  # fmt: skip
    institutions = next(s for s in sources if s["title"].startswith("PHARE-Institutions"))
    assert "avec la Fédération" not in institutions["organisation"]


def test_a_study_announced_as_forthcoming_has_no_year():
    for fields in resources():
        if re.search(r"à para[iî]tre", text_of(fields)):
            assert fields["year"] is None and fields["publication_date"] is None, fields["slug"]
            assert not re.search(r"\(\d{4}\)", fields["title"]), fields["slug"]


def test_no_resource_cites_what_came_after_it():
    for fields in resources():
        published = int(fields["published_at"][:4])
        later = [int(y) for y in re.findall(r"\b(20[0-4]\d)\b", text_of(fields))]
        assert all(year <= published for year in later), (fields["slug"], published, later)


def test_pages_about_le_rameau_s_diagnostic_say_ours_is_not_it():
    for fields in resources():
        text = text_of(fields)
        if "autodiagnostic" in text and "testé" in text:
            assert "propre à ce centre de ressources" in text, fields["slug"]
