"""Import of historical attendance, mounted at /imports/ by msap/urls.py."""

from django.urls import path, re_path

from msap.desk import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import_upload"),
    path("rejets.csv", import_views.import_rejects, name="import_rejects"),
    re_path(r"^modele\.(?P<fmt>csv|xlsx)$", import_views.import_template, name="import_template"),
]
