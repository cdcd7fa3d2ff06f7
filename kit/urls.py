from django.urls import path

from kit import views

app_name = "kit"

urlpatterns = [
    path("kit/", views.kit_index, name="index"),
    path("kit/<slug:usage>/", views.use_detail, name="use"),
    path("glossaire/", views.glossary, name="glossary"),
    path("parcours/", views.parcours_list, name="parcours_list"),
    path("parcours/<slug:slug>/", views.parcours_detail, name="parcours"),
    path("parcours/<slug:slug>/apercu/", views.parcours_preview, name="preview"),
    path("parcours/<slug:slug>/commencer/", views.parcours_start, name="start"),
    path("parcours/<slug:slug>/suivi/<str:token>/", views.progress_detail, name="progress"),
    path(
        "parcours/<slug:slug>/suivi/<str:token>/etape/<int:step_id>/",
        views.progress_step,
        name="progress_step",
    ),
    path(
        "parcours/<slug:slug>/suivi/<str:token>/envoyer-le-lien/",
        views.progress_send_link,
        name="send_link",
    ),
]
