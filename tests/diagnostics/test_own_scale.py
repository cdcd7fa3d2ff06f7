"""The questionnaire and its four levels are this site's own, inspired by Le RAMEAU's
approach: the pages say so, and none presents them as Le RAMEAU's tested tool."""

from pathlib import Path

from tests.diagnostics.conftest import Taker

OWN = "échelle propre à ce centre de ressources"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_start_page_and_the_results_say_the_scale_is_ours(client, db):
    start = client.get("/diagnostic/").content.decode()
    assert OWN in start and "pas l’outil du RAMEAU" in start
    taker = Taker(client)
    taker.complete()
    results = client.get(f"/diagnostic/{taker.token}/resultats/")
    assert results.status_code == 200
    assert OWN in results.content.decode()


def test_no_template_presents_the_diagnostic_as_le_rameau_s_tested_tool():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for claim in ("outil du RAMEAU", "testé par", "conçu par Le RAMEAU"):
            for line in text.splitlines():
                if claim in line:
                    assert "pas l’outil du RAMEAU" in line or "n’est pas" in line, (path, line)
