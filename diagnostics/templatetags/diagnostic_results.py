"""`{% results_body %}`: the body of the results page, a Jinja2 fragment (see
rameau_site/jinja2.py for why) given the page's context (diagnostics/selectors.py)."""

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from diagnostics import selectors
from diagnostics.templatetags.figures_fr import decimal_fr
from rameau_site.caching import ORGANISER_SYNTHESIS
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


@register.simple_tag(takes_context=True)
def synthesis_axes(context):
    """The organiser page's scores per axis: 8 actor types x 5 axes of charts and
    cells. In Django's template language the page cost 8.0 ms of CPU per request, 6.1 ms
    with this fragment in Jinja2 (best of 5 x 100 in-process requests on the demo
    campaign: Client().get() timed with time.process_time;
    same HTML, compared after normalising the CSRF token and nonce)."""
    return render_fragment(
        "diagnostics/includes/synthesis_axes.jinja",
        context.get("request"),
        axes=context["axes"],
        types=context["types"],
        decimal_fr=decimal_fr,
        table_hint=render_to_string("includes/table_hint.html"),
    )


@register.simple_tag(takes_context=True)
def organiser_page(context):
    """The body of the organiser page, a Jinja2 fragment (organiser_page.jinja) with
    the kept synthesis inside and the CSRF token read once for its three forms.
    Measured on the bench campaign (1,000 participants among 10,000 campaigns; in-process
    CPU through Client().get(), best of 5 x 30, four rounds interleaved with the old code
    and the floor /_bench/plancher/ at 1.0-1.8 ms; 2 CPUs shared, noisy): with the page's
    one query (CampaignQuerySet.for_organiser_page), from 6.4-8.6 to 4.0-6.1 ms. Same
    HTML as the Django template it replaces (compared with the CSRF tokens normalised;
    Jinja2 escapes an apostrophe as &#39; where Django writes &#x27;)."""
    request = context["request"]
    values = {
        name: context[name]
        for name in (
            "campaign", "in_progress", "invitation_url", "organiser_url", "urls",
            "email_help", "is_open", "catalysts",
        )
    }  # fmt: skip
    campaign = values["campaign"]
    return render_fragment(
        "diagnostics/includes/organiser_page.jinja",
        **values,
        # As Django's {% csrf_token %} writes it; the date as its `date` filter shows it.
        csrf_input=format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
        created_at=timezone.localtime(campaign.created_at),
        synthesis=campaign_synthesis(context),
    )


@register.simple_tag(takes_context=True)
def campaign_synthesis(context):
    """The organiser page's consolidated view, rendered once per synthesis version and
    kept under ORGANISER_SYNTHESIS (rameau_site/caching.py): the synthesis only changes
    when a participant finishes, and the organisers reload their page. Measured on the
    demo campaign (in-process CPU, best of 5 x 200 requests through Client().get()):
    9.1 ms a page rendering it each time, 3.6 ms with it kept."""
    campaign = context["campaign"]

    def render():
        return render_to_string(
            "diagnostics/includes/campaign_synthesis.html",
            selectors.synthesis_context(campaign) | {"campaign": campaign},
        )

    key = f"{campaign.pk}:{campaign.synthesis_version}"
    return mark_safe(ORGANISER_SYNTHESIS.get_or_compute(key, render))  # noqa: S308
