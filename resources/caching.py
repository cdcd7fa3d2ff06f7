"""Whole-page caching of the library's public pages, for anonymous visitors.

Keys carry a library version: any change to published content bumps it (call
`library_changed()`), so no stale page outlives an edit; the timeout bounds the delay
before a resource whose publication date has come appears."""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse

VERSION_KEY = "library:version"
PAGE_TIMEOUT = 300


def content_version(key: str = VERSION_KEY) -> int:
    """The current version; a new counter starts from the clock, so that a cache that
    was emptied never hands out a version number already used before."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        version = cache.get(key)
    return version or 1


def content_changed(key: str = VERSION_KEY) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, time.time_ns() // 1000, timeout=None)


def library_version() -> int:
    return content_version(VERSION_KEY)


def library_changed() -> None:
    content_changed(VERSION_KEY)


def cache_library_page(view):
    return cache_public_page(view, VERSION_KEY)


def cache_index_page(view):
    """For the pages drawn from the search index (catalogue, case base, list API): keyed
    by the version of the index that drew them, so that a page drawn by the old index
    while the new one is being built is never kept under the new version."""
    from resources.index import library_index

    return cache_public_page(view, VERSION_KEY, version=lambda: library_index().version)


def cache_public_page(view, version_key: str, timeout: int = PAGE_TIMEOUT, version=None):
    """Cache a public page whole, for anonymous visitors, under the content version
    `version_key` (see module docstring), or the one `version()` gives."""
    current_version = version or (lambda: content_version(version_key))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        # Pages hold absolute URLs (canonical, API links): the host is part of the key.
        path = f"{request.get_host()}{request.get_full_path()}".encode("utf-8", "surrogateescape")
        key = f"page:{version_key}:{current_version()}:{hashlib.sha256(path).hexdigest()}"
        pages = caches["pages"]
        cached = pages.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        nonce_used = bool(getattr(request, "_csp_nonce", None))
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not nonce_used
        ):
            pages.set(key, (response.content, response["Content-Type"]), timeout)
        return response

    return wrapper
