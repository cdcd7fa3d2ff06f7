"""Search engines may find the page presenting the self-diagnostic, never a person's
own diagnostic (its token pages)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def allowed(robots: str, path: str) -> bool:
    """Google's reading of robots.txt: the longest matching rule wins, Allow on a tie;
    `*` matches any characters, `$` ends the path."""
    best = (-1, True)
    for line in robots.splitlines():
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field not in ("allow", "disallow") or not value:
            continue
        pattern = "".join(".*" if c == "*" else "$" if c == "$" else re.escape(c) for c in value)
        if re.match(pattern, path):
            rule = (len(value), field == "allow")
            best = max(best, rule)
    return best[1]


def test_robots_txt_lets_the_diagnostic_page_be_found_but_not_the_token_pages(taker, client):
    robots = client.get("/robots.txt").content.decode()
    assert allowed(robots, "/diagnostic/")
    assert allowed(robots, "/diagnostic/questionnaire.json")
    taker.complete()
    for suffix in ("", "etape/1/", "etape/6/", "resultats/", "resultats.json", "refaire/",
                   "envoyer-le-lien/"):  # fmt: skip
        assert not allowed(robots, f"/diagnostic/{taker.token}/{suffix}"), suffix
    assert not allowed(robots, "/admin/") and allowed(robots, "/ressources/")


def test_token_pages_tell_search_engines_not_to_index_them(taker, client):
    index = client.get("/diagnostic/")
    assert "noindex" not in index.content.decode() and "X-Robots-Tag" not in index.headers
    taker.start()
    taker.profile()
    for url in (taker.url(1), taker.url(2)):
        page = client.get(url)
        assert page["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in page.content.decode()
    taker.token = None
    taker.complete()
    for suffix in ("", "resultats/", "resultats.json"):
        assert client.get(f"/diagnostic/{taker.token}/{suffix}")["X-Robots-Tag"] == "noindex"
