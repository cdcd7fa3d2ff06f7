from django.urls import path

from diagnostics import roadmap_views, views

app_name = "diagnostics"

urlpatterns = [
    path("", views.index, name="index"),
    path("questionnaire.json", views.questionnaire_json, name="questionnaire_json"),
    path("collectif/", views.collective, name="collective"),
    path("collectif/rejoindre/<str:token>/", views.join, name="join"),
    path("collectif/<str:token>/", views.campaign, name="campaign"),
    path("collectif/<str:token>/synthese.json", views.campaign_json, name="campaign_json"),
    path("collectif/<str:token>/invitation.svg", views.campaign_qr, name="campaign_qr"),
    path("collectif/<str:token>/envoyer/", views.campaign_send, name="campaign_send"),
    path("collectif/<str:token>/statut/", views.campaign_status, name="campaign_status"),
    path("collectif/<str:token>/supprimer/", views.campaign_delete_view, name="campaign_delete"),
    path(
        "collectif/<str:token>/feuille-de-route/",
        roadmap_views.campaign_roadmap,
        name="campaign_roadmap",
    ),
    path(
        "collectif/<str:token>/feuille-de-route.ics",
        roadmap_views.campaign_roadmap_ics,
        name="campaign_roadmap_ics",
    ),
    path("<str:token>/", views.resume, name="resume"),
    path("<str:token>/etape/<int:number>/", views.step, name="step"),
    path("<str:token>/envoyer-le-lien/", views.send_link, name="send_link"),
    path("<str:token>/resultats/", views.results, name="results"),
    path("<str:token>/resultats.json", views.results_json, name="results_json"),
    path("<str:token>/refaire/", views.redo, name="redo"),
    path("<str:token>/feuille-de-route/", roadmap_views.roadmap, name="roadmap"),
    path("<str:token>/feuille-de-route.ics", roadmap_views.roadmap_ics, name="roadmap_ics"),
]
