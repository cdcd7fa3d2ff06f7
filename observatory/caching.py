"""Temporary names for the observatory's caches, declared in rameau_site/caching.py."""

from rameau_site.caching import DASHBOARD_PAGES, OBSERVATORY_PAGES, OBSERVATORY_VERSION

observatory_changed = OBSERVATORY_VERSION.bump
cache_observatory_page = OBSERVATORY_PAGES
cache_dashboard_page = DASHBOARD_PAGES
