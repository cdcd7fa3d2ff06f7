from django.urls import path

from observatory import views

app_name = "observatory"

urlpatterns = [
    path("observatoire/", views.dashboard, name="dashboard"),
    path("observatoire/indicateurs/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("observatoire/indicateurs/<slug:slug>/integrer/", views.indicator_embed, name="embed"),
    path("observatoire/donnees.csv", views.observations_csv, name="csv"),
    path("observatoire/datapackage.json", views.datapackage, name="datapackage"),
    path("sources/", views.sources, name="sources"),
    path("api/observatoire/observations/", views.observations_api, name="api"),
]
