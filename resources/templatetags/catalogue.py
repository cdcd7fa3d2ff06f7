"""Tags rendering the Jinja2 fragments of the catalogue (see rameau_site/jinja2.py for
why these few are Jinja2): `{% facets filterset %}`, `{% resource_cards cards %}` (the
`<li>` of a list) and `{% resource_card card %}`."""

from django import template

from rameau_site.jinja2 import render_fragment, thousands

register = template.Library()


def render_jinja(name: str, context, **values):
    return render_fragment(name, context.get("request"), **values)


@register.simple_tag(takes_context=True)
def facets(context, filterset):
    return render_jinja(
        "includes/facets.jinja", context, filterset=filterset, thousands=thousands()
    )


@register.simple_tag(takes_context=True)
def resource_cards(context, cards, print_url=False):
    return render_jinja("includes/resource_cards.jinja", context, cards=cards, print_url=print_url)


@register.simple_tag(takes_context=True)
def resource_card(context, card, print_url=False):
    return render_jinja("includes/resource_card.jinja", context, card=card, print_url=print_url)
