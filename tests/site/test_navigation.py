"""The layout's links, reversed once per process (LAYOUT_URLS), are those reverse()
gives, for each script prefix the site is served under."""

from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import get_script_prefix, reverse, set_script_prefix

from rameau_site.context_processors import LAYOUT_LINKS, LAYOUT_STATIC, SECTIONS, navigation


def reversed_now():
    sections = [(label, reverse(name)) for label, name in SECTIONS]
    links = {key: reverse(name) for key, name in LAYOUT_LINKS.items()}
    return sections, links | {key: static(path) for key, path in LAYOUT_STATIC.items()}


def test_the_kept_links_are_the_reversed_ones_under_each_script_prefix():
    request = RequestFactory().get("/kit/")
    first = navigation(request)
    sections, links = reversed_now()
    assert [(item["label"], item["url"]) for item in first["main_nav"]] == sections
    assert first["site_urls"] == links
    assert [item["label"] for item in first["main_nav"] if item["current"]] == ["Kit pratique"]

    prefix = get_script_prefix()
    set_script_prefix("/sous-dossier/")
    try:
        moved = navigation(request)
        sections, links = reversed_now()
    finally:
        set_script_prefix(prefix)
    assert links["home"] == "/sous-dossier/" and moved["site_urls"] == links
    assert [(item["label"], item["url"]) for item in moved["main_nav"]] == sections
    assert navigation(request) == first
