"""Writes that touch several fields or models (plain functions, keyword-only)."""

from collections import Counter

from django.db import transaction

from resources.caching import library_changed
from resources.models import Resource, SearchWord
from resources.rendering import render_markdown
from resources.search import unaccent, words_of


@transaction.atomic
def resource_refresh_derived(*, resource: Resource) -> Resource:
    """Recompute what is derived from a resource's own fields and relations: the
    sanitised HTML of its body, the tag names its search vector indexes, and its
    region when a commune is set. Call it after any change to those."""
    resource.body_html = render_markdown(resource.body)
    resource.search_tags = " ".join(sorted(tag.name for tag in resource.tags.all()))
    if resource.commune_id:
        resource.region_id = resource.commune.region_id
        resource.size_band = resource.commune.size_band
    Resource.objects.filter(pk=resource.pk).update(
        body_html=resource.body_html,
        search_tags=resource.search_tags,
        region=resource.region_id,
        size_band=resource.size_band,
    )
    transaction.on_commit(library_changed)
    return resource


def resources_refresh_all() -> int:
    count = 0
    for resource in Resource.objects.select_related("commune").prefetch_related("tags"):
        resource_refresh_derived(resource=resource)
        count += 1
    return count


@transaction.atomic
def search_words_refresh() -> int:
    """Rebuild the vocabulary used for spelling suggestions from published content."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    rows = Resource.objects.published().values_list("title", "summary", "search_tags")
    for row in rows.iterator(chunk_size=2000):
        for word in words_of(" ".join(row)):
            lowered = word.lower()
            key = unaccent(lowered)
            if len(key) > 60:
                continue
            counts[key] += 1
            forms.setdefault(key, Counter())[lowered] += 1
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [
            SearchWord(key=key, word=forms[key].most_common(1)[0][0], frequency=n)
            for key, n in counts.items()
        ],
        batch_size=5000,
    )
    return len(counts)
