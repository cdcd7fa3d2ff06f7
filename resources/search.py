"""Search helpers: highlighted snippets and "did you mean" suggestions."""

import re
import unicodedata

from django.contrib.postgres.search import TrigramSimilarity
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# ts_headline marks matches with these private-use characters; `highlight` turns them
# into <mark> after escaping.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
# How long a highlighted summary is (ts_headline's MaxWords/MinWords), for the cards'
# SQL (cards.py) and the ORM's SearchHeadline (filters.py) alike.
HEADLINE_MAX_WORDS, HEADLINE_MIN_WORDS = 40, 20
WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
SUGGESTION_MIN_SIMILARITY = 0.35


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def highlight(text: str) -> SafeString:
    """Escape ts_headline output, then turn its sentinels into <mark>: the database
    output itself is never trusted as HTML."""
    escaped = escape(text)
    if escaped.count(HIGHLIGHT_START) != escaped.count(HIGHLIGHT_STOP):
        escaped = escaped.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    return mark_safe(  # noqa: S308 (escaped above)
        escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    )


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def suggest(text: str) -> str | None:
    """The query with each word unknown to the library's vocabulary replaced by the
    closest known word (trigram similarity), or None when nothing would change."""
    from resources.models import SearchWord

    changed = False
    corrected = text
    for word in dict.fromkeys(words_of(text)):
        key = unaccent(word)
        if SearchWord.objects.filter(key=key).exists():
            continue
        best = (
            SearchWord.objects.annotate(similarity=TrigramSimilarity("key", key))
            .filter(similarity__gte=SUGGESTION_MIN_SIMILARITY)
            .order_by("-similarity", "-frequency")
            .values_list("word", flat=True)
            .first()
        )
        if best:
            corrected = re.sub(rf"\b{re.escape(word)}\b", best, corrected)
            changed = True
    return corrected if changed else None
