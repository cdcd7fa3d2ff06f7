from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from rameau_site import contact, views
from rameau_site.sitemaps import SITEMAPS

admin.site.site_header = "Co-construction territoriale — administration"
admin.site.site_title = "Administration du centre de ressources"
admin.site.index_title = "Gestion des contenus"

# French agrees in gender: "les ressources sélectionnées", "les mots-clés sélectionnés".
FEMININE_PLURALS = {
    "ressources", "organisations", "observations", "sources", "réponses", "questions",
    "recommandations", "versions de ressource", "tentatives d’accès", "tentatives de connexion",
}  # fmt: skip


class DeleteSelectedLabel:
    """The description of the delete action, formatted by the admin for each model."""

    def __mod__(self, names):
        plural = str(names["verbose_name_plural"])
        ending = "es" if plural in FEMININE_PLURALS else "s"
        return f"Supprimer les {plural} sélectionné{ending}"


@admin.action(permissions=["delete"], description=DeleteSelectedLabel())
def delete_selected(modeladmin, request, queryset):
    return admin_actions.delete_selected(modeladmin, request, queryset)


admin.site.add_action(delete_selected, "delete_selected")

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("plan-du-site/", views.site_map, name="site_map"),
    path("contact/", contact.contact, name="contact"),
    path("sante/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/openapi.json", views.openapi, name="openapi"),
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("", include("kit.urls")),
    path("", include("network.urls")),
    path("diagnostic/", include("diagnostics.urls")),
    path("", include("observatory.urls")),
    path("", include("alerts.urls")),
]

handler400 = "rameau_site.views.bad_request"
handler403 = "rameau_site.views.permission_denied"
handler404 = "rameau_site.views.page_not_found"
handler500 = "rameau_site.views.server_error"
