from django.urls import path

from msap.charter import views

urlpatterns = [
    path("", views.charter_table, name="charter_table"),
    path("maisons/<int:house_pk>/", views.house_charter, name="charter_house"),
    path("maisons/<int:house_pk>/autoevaluation.pdf", views.house_pdf, name="charter_house_pdf"),
    path("maisons/<int:house_pk>/justificatifs/", views.evidence_add, name="charter_evidence_add"),
    path("justificatifs/<int:pk>/", views.evidence_file, name="charter_evidence_file"),
    path("justificatifs/<int:pk>/retirer/", views.evidence_remove, name="charter_evidence_remove"),
]
