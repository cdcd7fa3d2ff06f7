"""Staff-written Markdown to safe HTML (pure functions, no database)."""

import hashlib

import markdown
import nh3

from rameau_site.caching import MARKDOWN_HTML

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}


def demote_h1(html: str) -> str:
    """A resource page has its own h1: a body's top-level headings become h2."""
    return html.replace("<h1", "<h2").replace("</h1>", "</h2>")


def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = demote_h1(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def markdown_html(text: str) -> str:
    """`render_markdown` for the texts rendered on reading rather than stored (kept per
    process under the text's hash: MARKDOWN_HTML, rameau_site/caching.py)."""
    if not text:
        return ""
    key = hashlib.sha256(text.encode()).hexdigest()
    return MARKDOWN_HTML.get_or_compute(key, lambda: render_markdown(text))
