from django import template
from django.template.defaultfilters import stringfilter

from resources.french import french_date, french_plural, french_spacing

register = template.Library()


@register.filter
def date_fr(value, arg=""):
    """`{{ value|date_fr }}` gives "1er décembre 2026"; `|date_fr:"heure"` adds the time."""
    return french_date(value, with_time=arg == "heure")


@register.filter(name="french_spacing", is_safe=True)
@stringfilter
def french_spacing_filter(value):
    """`{{ question.text|french_spacing }}`: text from the database with non-breaking
    spaces before : ; ? ! » and after « (it adds no markup: escaping is unchanged)."""
    return french_spacing(value)


@register.filter
def pluriel(count, suffix="s"):
    """`résultat{{ total|pluriel }}`: "0 résultat", "1 résultat", "2 résultats" (the
    French rule; Django's `pluralize` gives "0 résultats")."""
    return suffix if french_plural(count) else ""
