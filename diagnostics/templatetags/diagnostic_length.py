from django import template

from diagnostics.duration import diagnostic_minutes as minutes_of
from diagnostics.duration import duration_rule as rule

register = template.Library()


@register.filter
def diagnostic_minutes(axes) -> int:
    """{{ axes|diagnostic_minutes }}: the announced length of the questionnaire."""
    return minutes_of(axes)


@register.simple_tag
def duration_rule() -> str:
    return rule()
