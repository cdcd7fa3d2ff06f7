from django import template

from resources.french import french_date

register = template.Library()


@register.filter
def date_fr(value, arg=""):
    """`{{ value|date_fr }}` gives "1er décembre 2026"; `|date_fr:"heure"` adds the time."""
    return french_date(value, with_time=arg == "heure")
