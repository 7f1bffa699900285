"""The application's URLs, plus the baseline: a minimal view doing one INSERT."""

from django.urls import include, path

from bench.desk.baseline import insert_one

urlpatterns = [
    path("banc/insertion/", insert_one, name="bench_baseline_insert"),
    path("", include("msap.urls")),
]
