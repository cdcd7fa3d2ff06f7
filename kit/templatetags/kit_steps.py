"""`{% parcours_steps %}`: the steps of a parcours, a Jinja2 fragment
(templates/kit/includes/steps.jinja; see rameau_site/jinja2.py for why) given the page's
context: on the progress page (`progress` in the context) each step with its state and
its form, the CSRF token read once for the page.

Measured in-process (CPU of one GET through Django's test client, best of 5 × 30 GETs,
three rounds interleaved with the floor /_bench/plancher/, database rameau_bench_petit,
parcours of 10 steps, old and new templates in the same process; 2 CPUs shared, so
noisy): the progress page from 14.7-15.9 ms with the steps as Django includes to
10.5-13.1 ms (floor 1.5-1.8 ms); the parcours page from 7.6-9.0 ms to 6.6-9.7 ms, within
the noise. The progress page's 10 steps alone (with their forms), best of 5 × 200
renders: 3.1-4.9 ms in Django's language, 1.3-2.0 ms here. Same HTML as the includes
(compared with the CSRF tokens and the CSP nonce normalised)."""

from django import template
from django.middleware.csrf import get_token

from kit.templatetags.kit_text import markdown
from rameau_site.jinja2 import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def parcours_steps(context):
    progress = context.get("progress")
    values = {
        "steps": context["steps"],
        "parcours": context["parcours"],
        "progress": progress,
        "done_ids": context.get("done_ids") or set(),
        "markdown": markdown,
    }
    if progress is not None:
        values["csrf_token"] = get_token(context["request"])
    # No request for the fragment: Jinja2's backend would set `csrf_token` to a lazy
    # value calling get_token() at each of the steps' forms.
    return render_fragment("kit/includes/steps.jinja", **values)
