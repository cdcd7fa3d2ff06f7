from django import template

from network.dates import when_label

register = template.Library()


@register.filter
def when(event) -> str:
    """`{{ event|when }}`: « jeudi 12 mai 2027, de 14 h à 15 h 30 (heure de Paris) »."""
    return when_label(event.starts_at, event.ends_at)
