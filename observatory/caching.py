"""The observatory's pages are cached whole under their own content version, bumped by
any change to indicators, sources or observations (admin, import)."""

from resources.caching import cache_public_page, content_changed

VERSION_KEY = "observatory:version"


def observatory_changed() -> None:
    content_changed(VERSION_KEY)


def cache_observatory_page(view):
    return cache_public_page(view, VERSION_KEY)


# The dashboard holds the live diagnostic statistics (themselves cached LIVE_TIMEOUT):
# together, never older than 5 minutes.
DASHBOARD_TIMEOUT = 150


def cache_dashboard_page(view):
    return cache_public_page(view, VERSION_KEY, DASHBOARD_TIMEOUT)
