"""The error pages a visitor can meet (bad request, forbidden, CSRF failure, rate limit,
server error, database outage) are accessible too: each is rendered by its real view and
checked with axe-core in Chromium, in the site's layout and stylesheet."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from rameau_site import views

ERROR_PAGES = {
    "400.html": lambda request: views.bad_request(request),
    "403.html": lambda request: views.permission_denied(request),
    "403_csrf.html": lambda request: views.csrf_failure(request),
    "429.html": lambda request: views.rate_limited(request),
    "500.html": lambda request: views.server_error(request),
}


def rendered(make_page) -> str:
    request = RequestFactory().get("/une-page/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    return make_page(request).content.decode()


def outage_page() -> str:
    """The 503 page, as server_error renders it while a database error is handled."""
    from django.db import OperationalError

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        return rendered(views.server_error)


@pytest.mark.parametrize("template", [*ERROR_PAGES, "503.html"])
def test_error_page_is_accessible(page, assert_accessible, template):
    html = outage_page() if template == "503.html" else rendered(ERROR_PAGES[template])
    page.goto("/")  # the site's origin, so that the stylesheet resolves

    page.set_content(html)

    assert page.locator("h1").count() == 1
    assert page.eval_on_selector("body", "el => getComputedStyle(el).display") == "flex"
    assert_accessible(page)
