from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.index, name="index"),
    path("questionnaire.json", views.questionnaire_json, name="questionnaire_json"),
    path("<str:token>/", views.resume, name="resume"),
    path("<str:token>/etape/<int:number>/", views.step, name="step"),
    path("<str:token>/envoyer-le-lien/", views.send_link, name="send_link"),
    path("<str:token>/resultats/", views.results, name="results"),
    path("<str:token>/resultats.json", views.results_json, name="results_json"),
    path("<str:token>/refaire/", views.redo, name="redo"),
]
