from django.contrib.sitemaps import Sitemap

from resources.models import Resource


class ResourceSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, resource):
        return resource.updated_at


class GoalSitemap(Sitemap):
    """The ODD compass's 17 goal pages."""

    changefreq = "weekly"

    def items(self):
        from resources.goals import Goal

        return list(Goal.values)

    def location(self, number):
        from django.urls import reverse

        return reverse("resources:goal", args=[number])
