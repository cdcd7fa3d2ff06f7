"""`{% radar_chart radar %}`: the results' radar, a Jinja2 fragment (see
rameau_site/jinja2.py for why)."""

from django import template

from rameau_site.jinja2 import render_fragment

register = template.Library()


@register.simple_tag
def radar_chart(radar):
    return render_fragment("diagnostics/includes/radar.jinja", radar=radar)
