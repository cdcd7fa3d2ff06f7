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
]
