"""`{% parcours_steps %}`: the steps of a parcours, a Jinja2 fragment
(templates/kit/includes/steps.jinja; see rameau_site/jinja2.py for why) given the page's
context; `{% progress_body %}`: the whole body of a visitor's progress page
(templates/kit/includes/progress_body.jinja, which includes the steps with their state
and forms), the CSRF token read once for the page.

Measured in-process (CPU of one GET through Django's test client, best of 5 × 30 GETs,
three rounds interleaved with the floor /_bench/plancher/, database rameau_bench_petit,
parcours of 10 steps, old and new templates in the same process; 2 CPUs shared, so
noisy): the progress page from 14.7-15.9 ms with the steps as Django includes to
10.5-13.1 ms (floor 1.5-1.8 ms); the parcours page from 7.6-9.0 ms to 6.6-9.7 ms, within
the noise. The progress page's 10 steps alone (with their forms), best of 5 × 200
renders: 3.1-4.9 ms in Django's language, 1.3-2.0 ms here. Same HTML as the includes
(compared with the CSRF tokens and the CSP nonce normalised). The rest of the progress
page's body in Jinja2 too (one fragment, one CSRF token read instead of two): the page's
template from 2.05-2.32 to 1.84-1.96 ms of CPU (best of 5 x 200 renders, the same
context and kit/steps.py's rows, old and new templates in one process, same HTML)."""

from django import template
from django.middleware.csrf import get_token

from kit.templatetags.kit_text import markdown
from rameau_site.jinja2 import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def parcours_steps(context):
    """The parcours page's steps (no progress, so no forms)."""
    values = {"steps": context["steps"], "progress": None, "done_ids": set()}
    return render_fragment("kit/includes/steps.jinja", markdown=markdown, **values)


PROGRESS_BODY = [
    "parcours", "steps", "progress", "done_ids", "standing", "next_step", "progress_url",
    "email_field", "retention_days", "mail_kept_days",
]  # fmt: skip


@register.simple_tag(takes_context=True)
def progress_body(context):
    values = {name: context[name] for name in PROGRESS_BODY}
    # No request for the fragment: Jinja2's backend would set `csrf_token` to a lazy
    # value calling get_token() at each of the steps' forms.
    values["csrf_token"] = get_token(context["request"])
    return render_fragment("kit/includes/progress_body.jinja", markdown=markdown, **values)
