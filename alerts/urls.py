from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.request_link, name="request_link"),
    path("alertes/lien-envoye/", views.link_sent, name="link_sent"),
    path("alertes/recherche/", views.new_search, name="new_search"),
    path("alertes/theme/<slug:slug>/", views.new_theme, name="new_theme"),
    path("alertes/agenda/", views.new_agenda, name="new_agenda"),
    path("alertes/reseau/", views.new_directory, name="new_directory"),
    path("alertes/demande-envoyee/", views.sent, name="sent"),
    path("alertes/supprimees/", views.deleted, name="deleted"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alertes/<str:token>/", views.manage, name="manage"),
]
