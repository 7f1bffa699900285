from django.urls import path

from msap.desk import views

urlpatterns = [
    path("saisie/", views.entry, name="desk_entry"),
    path("saisie/demarches/", views.procedure_options, name="desk_procedures"),
    path("activite/jour/", views.day, name="desk_day"),
    path("demandes/<int:pk>/modifier/", views.request_edit, name="desk_request_edit"),
    path("demandes/<int:pk>/supprimer/", views.request_delete, name="desk_request_delete"),
    path("maisons/<int:pk>/activite/", views.board, name="desk_board"),
    path("demarches/", views.procedure_admin, name="desk_procedure_admin"),
]
