"""Whole-page caching of the library's public pages, for anonymous visitors.

Keys carry a library version: any change to published content bumps it (call
`library_changed()`), so no stale page outlives an edit; the timeout bounds the delay
before a resource whose publication date has come appears."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse

VERSION_KEY = "library:version"
PAGE_TIMEOUT = 300


def library_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None and not cache.add(VERSION_KEY, 1, timeout=None):
        version = cache.get(VERSION_KEY)
    return version or 1


def library_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def cache_library_page(view):
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
        key = f"page:{library_version()}:{hashlib.sha256(path).hexdigest()}"
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
            pages.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
