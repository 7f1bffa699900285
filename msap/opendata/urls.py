"""Mounted at /donnees/ by msap/urls.py."""

from django.urls import path

from msap.opendata import views

urlpatterns = [
    path("maisons.csv", views.houses_csv, name="opendata_houses_csv"),
    path("maisons.json", views.houses_json, name="opendata_houses_json"),
    path("maisons.schema.json", views.houses_schema, name="opendata_houses_schema"),
]
