"""The text a reader sees on a page, for tests of its wording and typography."""

import re
from html import unescape

INLINE = r"a|abbr|b|cite|code|data|em|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u"


def visible_text(html: str) -> str:
    """The page's text: no script, style or markup; inline tags vanish without a trace
    ("<strong>Statut</strong> :" reads "Statut :"), other tags separate words. Only
    ordinary white space is collapsed: non-breaking spaces are part of the text."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = re.sub(rf"</?(?:{INLINE})\b[^>]*>", "", html, flags=re.I)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"[ \t\r\n]+", " ", unescape(html)).strip()
