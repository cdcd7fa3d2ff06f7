from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kit.sitemaps import KitSitemap, ParcoursSitemap
from network.sitemaps import EventSitemap, ProfileSitemap
from observatory.sitemaps import IndicatorSitemap
from resources.sitemaps import GoalSitemap, ResourceSitemap


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "resources:list",
            "resources:cases",
            "resources:goals",
            "diagnostics:index",
            "network:directory",
            "network:agenda",
            "network:past",
            "observatory:dashboard",
            "accessibility",
            "legal_notice",
            "privacy",
            "site_map",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "ressources": ResourceSitemap,
    "indicateurs": IndicatorSitemap,
    "kit": KitSitemap,
    "parcours": ParcoursSitemap,
    "odd": GoalSitemap,
    "agenda": EventSitemap,
    "reseau": ProfileSitemap,
}
