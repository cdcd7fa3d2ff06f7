"""`{{ event|when }}`, and `{% event_body %}`: the body of an event's page as a Jinja2
fragment (templates/network/includes/event_body.jinja; rameau_site/jinja2.py says why
a second engine). Measured on the bench database, in-process, old and new code
interleaved: rendering the page took 0.77-0.81 ms of CPU, now 0.67-0.69 ms, and with
the registration form 1.57-1.75 ms, now 1.08-1.10 ms (best of 15 x 200 renders); the
whole page (cpu_page.py) 1.69-1.75 -> 1.60-1.62 ms, floor 1.0-1.1 ms. Same HTML,
compared byte for byte (CSRF token masked) on every state of the page, its preview and
its form's errors."""

from django import template

from network.dates import when_label
from rameau_site.jinja2 import render_fragment
from resources.french import french_date

register = template.Library()


@register.filter
def when(event) -> str:
    """`{{ event|when }}`: « jeudi 12 mai 2027, de 14 h à 15 h 30 (heure de Paris) »."""
    return when_label(event.starts_at, event.ends_at)


@register.simple_tag(takes_context=True)
def event_body(context):
    event, form, preview = context["event"], context["form"], context["preview"]
    closes_at = event.registration_closes_at
    closes_label = french_date(closes_at, with_time=True) if closes_at else ""
    return render_fragment(
        "network/includes/event_body.jinja",
        context.get("request"),
        event=event,
        preview=preview,
        agenda_url=context["agenda_url"],
        kind_label=context["kind_label"],
        when=context["when"],
        is_over=event.is_over,
        form=form,
        fields=form.visible_fields() if form else [],
        places_left=context["places_left"],
        closes_at=closes_label if form else "",
        closed_at=closes_label if not form and not preview and event.registration_closed else "",
    )
