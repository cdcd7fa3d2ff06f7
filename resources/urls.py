from django.urls import path

from rameau_site.caching import INDEX_PAGES
from resources import api, goal_views, views
from resources.feeds import SearchFeed

app_name = "resources"

urlpatterns = [
    path("ressources/", views.resource_list, name="list"),
    path("ressources/flux/", INDEX_PAGES(SearchFeed()), name="feed"),
    path("ressources/<slug:slug>/", views.resource_detail, name="detail"),
    path("ressources/<slug:slug>/apercu/", views.resource_preview, name="preview"),
    path("ressources/<slug:slug>/document.pdf", views.resource_document, name="document"),
    path("cas-pratiques/", views.case_list, name="cases"),
    path("odd/", goal_views.goal_list, name="goals"),
    path("odd/<int:number>/", goal_views.goal_detail, name="goal"),
    path("api/ressources/", api.resource_list, name="api_list"),
    path("api/ressources/<slug:slug>/", api.resource_detail, name="api_detail"),
]
