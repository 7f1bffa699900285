from django.urls import path

from msap.people import views

urlpatterns = [
    path("<int:pk>/equipe/", views.house_staff, name="house_staff"),
    path("<int:pk>/equipe/ajouter/", views.member_add, name="member_add"),
    path("<int:pk>/equipe/<int:membership_pk>/fin/", views.member_end, name="member_end"),
    path("<int:pk>/formations/ajouter/", views.training_add, name="training_add"),
    path(
        "<int:pk>/formations/<int:training_pk>/supprimer/",
        views.training_delete,
        name="training_delete",
    ),
    path(
        "<int:pk>/formations/<int:training_pk>/attestation/",
        views.training_attestation,
        name="training_attestation",
    ),
]
