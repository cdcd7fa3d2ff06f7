from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kit.models import Parcours
from resources.enums import Usage


class KitSitemap(Sitemap):
    """The kit's home, its four use pages, the parcours list and the glossary."""

    changefreq = "weekly"

    def items(self):
        pages = [("kit:index", []), ("kit:parcours_list", []), ("kit:glossary", [])]
        return pages + [("kit:use", [usage]) for usage in Usage.values]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


class ParcoursSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Parcours.objects.published().only("slug").order_by("pk")

    def location(self, parcours):
        return reverse("kit:parcours", args=[parcours.slug])
