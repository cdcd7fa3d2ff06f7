"""`{% results_body %}`: the body of the results page, a Jinja2 fragment (see
rameau_site/jinja2.py for why) given the page's context (diagnostics/selectors.py)."""

from django import template
from django.template.loader import render_to_string

from rameau_site.jinja2 import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def results_body(context):
    values = context.flatten() | {
        "print_url": True,  # every card prints its address
        "table_hint": render_to_string("includes/table_hint.html"),
    }
    request = values.pop("request", None)
    return render_fragment("diagnostics/includes/results_body.jinja", request, **values)
