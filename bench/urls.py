"""The site's URLs plus the floor view, for benchmark runs only."""

from django.urls import include, path

from bench.floor import floor

urlpatterns = [
    path("_bench/plancher/", floor),
    path("", include("rameau_site.urls")),
]
