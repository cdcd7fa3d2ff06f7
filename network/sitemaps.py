from django.contrib.sitemaps import Sitemap

from network.models import Event, Profile


class EventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class ProfileSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Profile.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, profile):
        return profile.updated_at
