from django import template

from resources import link_kinds

register = template.Library()


@register.filter
def link_kind(url):
    """`{{ resource.external_url|link_kind }}`: "document", "site" or ""."""
    return link_kinds.link_kind(url)


@register.filter
def link_kind_label(url):
    """`{{ resource.external_url|link_kind_label }}`: "Document", "Site de l’éditeur"."""
    return link_kinds.link_kind_label(url)


@register.filter
def is_pdf(url):
    return link_kinds.is_pdf(url)
