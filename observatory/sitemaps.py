from django.contrib.sitemaps import Sitemap

from observatory.models import Indicator


class IndicatorSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Indicator.objects.only("slug").order_by("pk")
