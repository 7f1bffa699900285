"""Mounted at /api/v1/ by msap/urls.py: the endpoints, /openapi.json and /docs."""

from django.urls import path

from msap.api.api import api

urlpatterns = [
    path("", api.urls),
]
