from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("ressources/", views.resource_list, name="list"),
    path("cas-pratiques/", views.case_list, name="cases"),
]
