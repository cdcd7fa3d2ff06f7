from django import template
from django.utils.safestring import mark_safe

from resources.french import french_spacing
from resources.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Staff-written Markdown as HTML, sanitised exactly as a resource's body (nh3); the
    texts are short, so they are rendered on reading rather than stored twice."""
    return mark_safe(render_markdown(text))  # noqa: S308 (sanitised by nh3)


@register.filter(is_safe=True)
def french(text):
    return french_spacing(text)


@register.filter
def in_set(value, values) -> bool:
    return value in values
