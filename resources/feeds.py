from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from resources.filters import ResourceFilterSet
from resources.views import paginate


class SearchFeed(Feed):
    """An Atom feed of exactly the catalogue search given in the query string."""

    feed_type = Atom1Feed
    title = "Co-construction territoriale — ressources"
    subtitle = "Les ressources correspondant à votre recherche, les plus récentes d’abord."

    # One Feed instance serves every request (and every thread): the request travels
    # with the FilterSet, never on `self`.
    def get_object(self, request):
        return ResourceFilterSet(request.GET, request=request)

    def link(self, filterset):
        query = filterset.request.GET.urlencode()
        return "/ressources/" + (f"?{query}" if query else "")

    def items(self, filterset):
        return list(paginate(filterset, filterset.request.GET.get("page")).object_list)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom1Feed labels the summary type="html": the plain text is escaped so that a
        # reader shows it as written, never as markup.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.card_tags]

    def item_author_name(self, item):
        return ", ".join(org.name for org in item.publishers.all()) or None
