from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from observatory.sitemaps import IndicatorSitemap
from resources.sitemaps import ResourceSitemap


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "resources:list",
            "resources:cases",
            "diagnostics:index",
            "observatory:dashboard",
            "accessibility",
            "legal_notice",
            "privacy",
            "site_map",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "ressources": ResourceSitemap, "indicateurs": IndicatorSitemap}
