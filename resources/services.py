"""Writes that touch several fields or models (plain functions, keyword-only)."""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from resources.enums import Status
from resources.models import Resource, SearchWord, StatusChange, Tag, TaggedResource
from resources.rendering import render_markdown
from resources.search import unaccent, words_of
from resources.workflow import PUBLISH_PERMISSION, TransitionRefused, transition_check


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


def status_change_record(*, resource: Resource, from_status: str | None, by) -> None:
    """Log a status change made through a form (the form checked it was allowed)."""
    if resource.status != from_status:
        StatusChange.objects.create(
            resource=resource, from_status=from_status or "", to_status=resource.status,
            changed_by=by,
        )  # fmt: skip


@transaction.atomic
def resources_set_status(*, resources: Iterable[Resource], status: str, by) -> tuple[int, int]:
    """Move resources to `status` where the workflow and `by`'s role allow it; publishing
    without a date publishes now. Returns (changed, refused)."""
    can_publish = by.has_perm(PUBLISH_PERMISSION)
    changed = refused = 0
    for resource in resources:
        if resource.status == status:
            continue
        try:
            transition_check(resource.status, status, can_publish=can_publish)
        except TransitionRefused:
            refused += 1
            continue
        previous = resource.status
        resource.status = status
        if status == Status.PUBLISHED and resource.published_at is None:
            resource.published_at = timezone.now()
        resource.save(update_fields=["status", "published_at", "updated_at"])
        status_change_record(resource=resource, from_status=previous, by=by)
        changed += 1
    return changed, refused


@transaction.atomic
def resources_set_featured(*, resources: Iterable[Resource], featured: bool) -> int:
    changed = 0
    for resource in resources:
        if resource.featured != featured:
            resource.featured = featured
            resource.save(update_fields=["featured", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def tags_merge(*, target: Tag, sources: Iterable[Tag]) -> int:
    """Re-tag every resource of `sources` with `target`, then delete `sources`.
    Returns how many resources were re-tagged."""
    source_ids = [tag.pk for tag in sources if tag.pk != target.pk]
    resource_ids = set(
        TaggedResource.objects.filter(tag_id__in=source_ids).values_list(
            "content_object_id", flat=True
        )
    )
    already = set(
        TaggedResource.objects.filter(tag=target, content_object_id__in=resource_ids).values_list(
            "content_object_id", flat=True
        )
    )
    TaggedResource.objects.bulk_create(
        [TaggedResource(tag=target, content_object_id=pk) for pk in resource_ids - already]
    )
    Tag.objects.filter(pk__in=source_ids).delete()  # cascades to their TaggedResource rows
    for resource in Resource.objects.filter(pk__in=resource_ids).select_related("commune"):
        resource_refresh_derived(resource=resource)
    return len(resource_ids)
