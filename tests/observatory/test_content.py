"""The observatory's real content against its own values: every headline states the
indicator's own finding, every key figure is a sourced observation chosen by staff."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from observatory.figures import figure_for
from observatory.models import Indicator, KeyFigure, Observation, Source
from resources.french import french_spacing
from tests.site.text import visible_text

NUMBER = re.compile(r"(\d+(?:[\u00a0 ]\d{3})*(?:,\d+)?)([\u00a0 ]million|\u00a0%|/10)?")


def numbers_in(text: str) -> set[Decimal]:
    """The values a sentence states with their unit: "69 %", "7,1/10", "1,2 million"
    (bare numbers are years, sample sizes or "10 salariés et plus")."""
    found = set()
    for digits, unit in NUMBER.findall(text):
        value = Decimal(digits.replace("\u00a0", "").replace(" ", "").replace(",", ".").strip())
        if unit.endswith("million"):
            value *= 1_000_000
        if unit:
            found.add(value)
    return found


def figures(indicator):
    observations = list(Observation.objects.for_display().filter(indicator=indicator))
    return figure_for(indicator, observations, {}), observations


def test_every_headline_states_only_its_own_values(observatory):
    for indicator in Indicator.objects.all():
        figure, observations = figures(indicator)
        own = {o.value for o in observations}
        stated = numbers_in(figure.finding)
        assert stated <= own, (indicator.slug, figure.finding, stated - own)
        assert "jusqu’à" not in figure.finding
        wholes = [r for r in figure.rows if not r.is_part]
        if len(wholes) > 1 and not figure.has_demo:
            assert indicator.headline, f"{indicator.slug} : plusieurs valeurs, aucun constat"
            assert stated, indicator.slug  # a headline with several values quotes them


def test_a_headline_is_never_the_largest_bar_of_another_answer(observatory):
    companies = Indicator.objects.get(slug="entreprises-position-partenariat-2011")
    figure, _ = figures(companies)
    # 46 % are the companies that do NOT want a partnership: said as such, never as
    # "part des entreprises qui ont un partenariat : jusqu'à 46 %".
    assert "46\u00a0% n’en souhaitaient pas" in figure.finding
    companies.headline = ""
    assert figures(companies)[0].finding == companies.title  # no bar is picked


def test_answers_to_one_question_share_one_survey_and_wave(observatory):
    for indicator in Indicator.objects.all():
        observations = list(indicator.observations.all())
        if any(o.breakdown == "reponse" and not o.part_of_id for o in observations):
            assert len({(o.source_id, o.wave) for o in observations}) == 1, indicator.slug


def test_a_part_is_written_under_its_whole_not_drawn_beside_it(observatory):
    figure, _ = figures(Indicator.objects.get(slug="territoire-en-transition"))
    assert [bar.display for bar in figure.chart["bars"]] == ["91\u00a0%"]
    assert [(r.label, r.display) for r in figure.rows] == [
        ("Maires", "91\u00a0%"),
        ("dont fortement", "35\u00a0%"),
    ]


def test_the_74_percent_is_credited_only_with_what_its_source_says(observatory):
    observation = Observation.objects.get(indicator__slug="devoir-d-alliance")
    assert observation.wave is None and "non précisée" in observation.wave_label
    assert "2018-2022" not in observation.source.title and observation.source.year is None
    institutions = Source.objects.get(title__startswith="PHARE-Institutions")
    assert "Fédération" not in institutions.organisation.split(";")[0]  # not an author
    trajectories = Source.objects.get(title__startswith="IMPACTS")
    assert "RAMEAU" not in trajectories.organisation


def test_every_home_figure_is_a_sourced_observation(
    client, observatory, django_capture_on_commit_callbacks
):
    chosen = list(KeyFigure.objects.for_display())
    assert len(chosen) >= 4
    html = client.get("/").content.decode()
    section = html[html.index('id="titre-chiffres"') : html.index('id="titre-publics"')]
    assert section.count('class="key-figure"') == len(chosen)
    for key in chosen:
        observation = key.observation
        assert not observation.is_demo and observation.source.title
        assert observation.source.organisation
        assert escape(french_spacing(key.wording)) in section
        assert escape(french_spacing(observation.source.title)) in section
        wave = observation.wave_label or "vague non précisée"
        assert str(observation.wave) in section if observation.wave else wave.lower() in section
        assert observation.indicator.get_absolute_url() in section
    # Nothing typed in the template: without a selection there is no figure.
    with django_capture_on_commit_callbacks(execute=True):  # the cached page follows
        KeyFigure.objects.all().delete()
    html = client.get("/").content.decode()
    assert 'class="key-figure"' not in html


def test_key_figures_on_the_observatory_read_as_sentences(client, observatory):
    html = client.get("/observatoire/").content.decode()
    section = html[html.index('id="titre-cles"') : html.index('id="titre-filtres"')]
    assert section.count('class="key-figure"') == KeyFigure.objects.count()
    assert "phare-citoyens" not in section.lower() and " · " not in section
    assert "des maires voient dans les partenariats une source d’innovation" in section


def test_the_home_page_makes_the_same_queries_however_many_key_figures(
    client, observatory, django_assert_max_num_queries
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    count()  # per-process copies (questionnaire structure) read once
    before = count()
    taken = KeyFigure.objects.values_list("observation_id", flat=True)
    for position, observation in enumerate(
        Observation.objects.filter(is_demo=False).exclude(pk__in=list(taken))[:6], start=10
    ):
        KeyFigure.objects.create(observation=observation, position=position, wording="test")
    assert count() == before
    with django_assert_max_num_queries(4):
        client.get("/")


def test_demonstration_data_cannot_be_a_key_figure(observatory):
    demo = Observation.objects.filter(is_demo=True).first()
    with pytest.raises(ValidationError):
        KeyFigure(observation=demo, wording="x").full_clean()


def test_staff_choose_key_figures_in_the_admin_in_french(admin_client, observatory):
    page = admin_client.get("/admin/observatory/keyfigure/").content.decode()
    assert "Chiffres clés" in page and "Libellé court" in page
    add = admin_client.get("/admin/observatory/keyfigure/add/").content.decode()
    assert "Ordre" in add and "Observation" in add


def key_sources(html: str) -> list[str]:
    section = html[html.index('id="titre-cles"') : html.index('id="titre-filtres"')]
    return [
        visible_text(line).removesuffix(" Voir l’indicateur")
        for line in re.findall(r'class="key-figure__source">(.*?)<a ', section, flags=re.S)
    ]


def test_key_figures_write_large_counts_in_words_and_a_clean_source_line(client, observatory):
    html = client.get("/observatoire/").content.decode()
    section = html[html.index('id="titre-cles"') : html.index('id="titre-filtres"')]
    values = re.findall(r'class="key-figure__value">(.*?)</p>', section)
    assert "1,2\u00a0million" in values  # as the observatory's headline says it
    assert not any("200" in value for value in values)
    lines = key_sources(html)
    assert len(lines) == KeyFigure.objects.count()
    for line in lines:
        depth = 0
        for char in line:  # never a parenthesis inside another
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, line
        assert ") (" not in line and ", Vague" not in line, line
        assert "PHARE 2015." not in line  # the wave is not repeated after its title
    assert (
        "Source\u00a0: Programme PHARE\u00a0: enquêtes Citoyens, Entreprises et Associations "
        "(2015), Observatoire des partenariats (programme PHARE du RAMEAU), cité par le centre "
        "de ressources «\u00a0co-construction territoriale\u00a0»."
    ) in lines
    assert any(line.endswith(", Le RAMEAU, vague non précisée.") for line in lines), lines
