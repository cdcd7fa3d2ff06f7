from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from network.dates import when_label
from network.filters import EventFilterSet
from network.models import Event

FEED_SIZE = 50


class AgendaFeed(Feed):
    """An Atom feed of the upcoming events, soonest first, of the type given in the
    query string (the agenda page's FilterSet)."""

    feed_type = Atom1Feed
    title = "Co-construction territoriale — agenda"
    subtitle = "Les prochains événements : rencontres, webinaires, sessions du MOOC, ateliers."

    # One Feed instance serves every request: the query travels with the FilterSet.
    def get_object(self, request):
        return EventFilterSet(request.GET, queryset=Event.objects.published().upcoming())

    def link(self, filterset):
        return reverse("network:agenda")

    def items(self, filterset):
        return list(filterset.qs.listed()[:FEED_SIZE])

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        # Atom1Feed labels the summary type="html": plain text is escaped.
        where = "En ligne" if event.online else event.place
        return escape(
            f"{event.get_kind_display()}, {when_label(event.starts_at, event.ends_at)}. {where}."
        )

    def item_pubdate(self, event):
        return event.updated_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_author_name(self, event):
        return event.organiser

    def item_categories(self, event):
        return [event.get_kind_display()]
