"""The directory's form fields (templates/network/includes/field.html)."""

from django import forms, template

from network.forms import HONEYPOT_LABEL

register = template.Library()

AUTOCOMPLETE = {"email": "email", "name": "name", "organisation": "organization", "website": "url"}


@register.filter
def widget_kind(field) -> str:
    widget = field.field.widget
    if field.label == HONEYPOT_LABEL:
        return "honeypot"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "consent"
    return "input"


@register.simple_tag
def field_widget(field):
    """The input with its error and help wired for screen readers."""
    described = [f"{field.auto_id}_aide"] if field.help_text else []
    attrs = {"class": "text-input"}
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_erreur")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.name in AUTOCOMPLETE:
        attrs["autocomplete"] = AUTOCOMPLETE[field.name]
    if isinstance(field.field.widget, forms.Textarea):
        attrs["rows"] = 6
    return field.as_widget(attrs=attrs)
