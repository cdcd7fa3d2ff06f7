from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from rameau_site import views
from rameau_site.sitemaps import SITEMAPS

admin.site.site_header = "Co-construction territoriale — administration"
admin.site.site_title = "Administration du centre de ressources"
admin.site.index_title = "Gestion des contenus"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("sante/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/openapi.json", views.openapi, name="openapi"),
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("diagnostic/", include("diagnostics.urls")),
    path("", include("observatory.urls")),
]

handler400 = "rameau_site.views.bad_request"
handler403 = "rameau_site.views.permission_denied"
handler404 = "rameau_site.views.page_not_found"
handler500 = "rameau_site.views.server_error"
