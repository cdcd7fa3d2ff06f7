"""An axis step's page, as a GET shows it: rendered once per process for each frozen
questionnaire version, axis and set of shown questions, with holes for what is the
visitor's own (the response token, the resume link, the CSRF token, the ticked
answers), filled by plain string replacement. The step page is the
diagnostic's most visited page; rendering its template took half of its time.

Any other case (a form with errors, a message to show, a draft questionnaire) renders
the template as usual."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

# They fit the URL patterns and the HTML as they are, and appear nowhere else.
TOKEN_HOLE = "jeton-a-remplacer-7c1e"
RESUME_HOLE = "lien-de-reprise-a-remplacer-7c1e"
CSRF_HOLE = "csrf-a-remplacer-7c1e"

_pages: dict[tuple, str] = {}


def step_urls(request, token: str) -> dict[str, str]:
    return {
        "resume_url": request.build_absolute_uri(reverse("diagnostics:resume", args=[token])),
        "send_link_url": reverse("diagnostics:send_link", args=[token]),
    }


def axis_step_page(request, context: dict) -> HttpResponse | None:
    """The page from the per-process copy, or None when it must be rendered in full."""
    form, response = context["form"], context["response"]
    questionnaire = response.questionnaire
    if form.is_bound or not questionnaire.is_frozen or len(messages.get_messages(request)):
        return None
    key = (questionnaire.pk, questionnaire.version, form.axis.pk,
           tuple(q.pk for q in form.shown))  # fmt: skip
    html = _pages.get(key)
    if html is None:
        form.tick_answers = False
        holed = context | step_urls(request, TOKEN_HOLE)
        holed |= {"response": None, "csrf_token": CSRF_HOLE, "resume_url": RESUME_HOLE}
        html = render_to_string("diagnostics/step.html", holed, request)
        form.tick_answers = True
        if getattr(request, "_csp_nonce", None):
            return None  # a page with a nonce is the visitor's own: render it in full
        _pages[key] = html
    resume_url = escape(step_urls(request, response.token)["resume_url"])
    html = html.replace(RESUME_HOLE, resume_url).replace(TOKEN_HOLE, response.token)
    html = html.replace(CSRF_HOLE, get_token(request))
    return HttpResponse(form.tick(html))
