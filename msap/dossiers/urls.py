from django.urls import path

from msap.dossiers import views

urlpatterns = [
    path("maison/<int:house_pk>/", views.dossier_list, name="dossier_list"),
    path("maison/<int:house_pk>/nouveau/", views.dossier_new, name="dossier_new"),
    path("<int:dossier_pk>/", views.dossier_detail, name="dossier_detail"),
    path("<int:dossier_pk>/modifier/", views.dossier_edit, name="dossier_edit"),
    path("<int:dossier_pk>/suivis/ajouter/", views.follow_up_add, name="follow_up_add"),
    path("<int:dossier_pk>/documents/ajouter/", views.document_add, name="document_add"),
    path(
        "<int:dossier_pk>/documents/<int:doc_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<int:dossier_pk>/documents/<int:doc_pk>/supprimer/",
        views.document_delete,
        name="document_delete",
    ),
    path("<int:dossier_pk>/export.<str:fmt>", views.dossier_export, name="dossier_export"),
    path("<int:dossier_pk>/effacer/", views.dossier_erase, name="dossier_erase"),
]
