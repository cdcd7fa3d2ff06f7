"""The layout's tags (rameau_site/templatetags/layout.py) print what the loops they
replaced printed."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

from rameau_site.templatetags.layout import breadcrumbs, main_nav

NAV = [
    {"label": "Kit pratique", "url": "/kit/", "current": False},
    {"label": "Agenda", "url": "/agenda/", "current": True},
    {"label": 'Ho "<b>" & \'', "url": '/a?b=1&c="2"', "current": False},
]
# The loops of base.html and includes/main_nav.html before the tags.
NAV_LOOP = (
    "{% for item in main_nav %}\n"
    '            <li><a href="{{ item.url }}"{% if section %}{% if item.label == section %}'
    ' aria-current="page"{% endif %}{% elif item.current %} aria-current="page"{% endif %}>'
    "{{ item.label }}</a></li>\n"
    "{% endfor %}"
)
CRUMBS_LOOP = (
    "{% for label, url in breadcrumbs %}\n"
    '      {% if forloop.last %}<li><span aria-current="page">{{ label }}</span></li>'
    '{% else %}<li><a href="{{ url }}">{{ label }}</a></li>{% endif %}\n'
    "      {% endfor %}"
)


def loop(source, **values):
    return Template(source).render(Context(values))


def test_main_nav_prints_the_loop_s_html():
    for section in (None, "", "Kit pratique", "Agenda", 'Ho "<b>" & \''):
        printed = main_nav({"main_nav": NAV}, section)
        assert printed == loop(NAV_LOOP, main_nav=NAV, section=section), section
    assert main_nav({"main_nav": NAV}, "Kit pratique").count("aria-current") == 1
    assert "&lt;b&gt;" in main_nav({"main_nav": NAV}) and "<b>" not in main_nav({"main_nav": NAV})
    assert main_nav({}) == ""


def test_breadcrumbs_print_the_loop_s_html():
    trails = [
        [("Agenda", "/agenda/"), ("Un titre", None)],
        [("Seul", None)],
        [],
        [("<script>", '/x?a=1&b="2"'), (mark_safe("Déjà&nbsp;sûr"), None)],
        (("Parcours", "/parcours/"), ("L’étape 2 : « oui » & <non>", None)),
    ]
    for trail in trails:
        assert breadcrumbs(trail) == loop(CRUMBS_LOOP, breadcrumbs=trail), trail
    assert "&lt;script&gt;" in breadcrumbs(trails[3]) and "Déjà&nbsp;sûr" in breadcrumbs(trails[3])
