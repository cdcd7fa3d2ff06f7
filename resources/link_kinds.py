"""What a resource's external link leads to, computed from its address (pure functions):
the document itself (a PDF, or a page deeper than the site's home page) or only the
publisher's site (its home page), where the reader still has to look for it."""

import re
from urllib.parse import urlsplit

DOCUMENT, SITE = "document", "site"

# A site's home page: nothing after the host but a language folder, an index or
# "accueil" page, a query or a fragment. The same expression serves PostgreSQL
# (`external_url__iregex`, admin filter) and Python: tests compare the two.
HOME_PAGE_REGEX = (
    r"^https?://[^/?#]+/?"
    r"((fr|en)(-[a-z]{2})?/?|index\.(html?|php)|accueil/?|home/?)?"
    r"([?#].*)?$"
)
HOME_PAGE = re.compile(HOME_PAGE_REGEX, re.IGNORECASE)


def link_kind(url: str) -> str:
    """DOCUMENT, SITE, or "" when there is no link."""
    if not url:
        return ""
    return SITE if HOME_PAGE.match(url.strip()) else DOCUMENT


def is_pdf(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def link_kind_label(url: str) -> str:
    """The words a card or page shows: "Document (PDF)", "Document", "Site de l’éditeur"."""
    kind = link_kind(url)
    if kind == SITE:
        return "Site de l’éditeur"
    if kind == DOCUMENT:
        return "Document (PDF)" if is_pdf(url) else "Document"
    return ""
