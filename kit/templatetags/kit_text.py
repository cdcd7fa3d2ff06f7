from django import template
from django.utils.safestring import mark_safe

from resources.french import french_spacing
from resources.rendering import markdown_html

register = template.Library()


@register.filter
def markdown(text):
    """Staff-written Markdown as HTML, sanitised exactly as a resource's body (nh3); the
    texts are short, so they are rendered on reading rather than stored twice, and kept
    per process under their hash (MARKDOWN_HTML)."""
    return mark_safe(markdown_html(text))  # noqa: S308 (sanitised by nh3)


@register.filter(is_safe=True)
def french(text):
    return french_spacing(text)
