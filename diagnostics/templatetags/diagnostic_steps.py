"""`{% step_body %}`: the form of a diagnostic step, a Jinja2 fragment (see
rameau_site/jinja2.py for why) given the step page's context. An axis step's questions
as a GET shows them are kept under STEP_QUESTIONS (rameau_site/caching.py): most
visitors reach a step with none of its questions answered yet."""

from django import template
from django.middleware.csrf import get_token

from rameau_site.caching import STEP_QUESTIONS
from rameau_site.jinja2 import render_fragment

register = template.Library()

STEP_KEYS = [
    "response", "form", "number", "progress", "axis", "email_form", "error_count",
    "error_entries", "resume_url", "send_link_url",
]  # fmt: skip


@register.simple_tag(takes_context=True)
def step_body(context):
    values = {key: context.get(key) for key in STEP_KEYS}
    form = values["form"]
    if values["axis"] is not None:

        def questions():
            return render_fragment("diagnostics/includes/step_questions.jinja", form=form)

        key = form.fragment_key
        values["questions"] = STEP_QUESTIONS.get_or_compute(key, questions) if key else questions()
    # The token read once for the page's two forms: given the request, Jinja2's backend
    # would mask a new one at each (0.1 ms of CPU each, as much again for a new visitor).
    values["csrf_token"] = get_token(context["request"])
    return render_fragment("diagnostics/includes/step_body.jinja", **values)
