from django.urls import path

from network import views
from network.feeds import AgendaFeed

app_name = "network"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/passes/", views.agenda_past, name="past"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/flux/", AgendaFeed(), name="feed"),
    path("agenda/<slug:slug>/", views.event_detail, name="event"),
    path("agenda/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/apercu/", views.event_preview, name="preview"),
    path("agenda/<slug:slug>/inscription/", views.event_register, name="register"),
    path(
        "agenda/<slug:slug>/inscription/envoyee/", views.registration_sent, name="registration_sent"
    ),
    path(
        "agenda/<slug:slug>/inscription/annulee/",
        views.registration_cancelled,
        name="registration_cancelled",
    ),
    path("agenda/inscription/<str:token>/", views.registration_detail, name="registration"),
    path("agenda/inscription/<str:token>/annuler/", views.cancel, name="cancel"),
    path("reseau/", views.directory, name="directory"),
    path("reseau/proposer/", views.profile_propose_view, name="propose"),
    path("reseau/proposer/envoyee/", views.proposal_sent, name="proposal_sent"),
    path("reseau/confirmer/<str:token>/", views.profile_confirm_view, name="confirm"),
    path("reseau/gerer/", views.manage_request, name="manage_request"),
    path("reseau/gerer/envoye/", views.manage_sent, name="manage_sent"),
    path("reseau/gerer/supprimee/", views.profile_deleted, name="deleted"),
    path("reseau/gerer/<str:link>/", views.profile_manage, name="manage"),
    path("reseau/<slug:slug>/", views.profile_detail, name="profile"),
    path("reseau/<slug:slug>/contact/", views.profile_contact, name="contact"),
    path("reseau/<slug:slug>/contact/envoye/", views.contact_sent, name="contact_sent"),
]
