from django.urls import path

from msap.network import views

urlpatterns = [
    path("", views.house_list, name="house_list"),
    path("communes/", views.commune_search, name="commune_search"),
    path("<int:pk>/", views.house_detail, name="house_detail"),
    path("<int:pk>/modifier/", views.house_edit, name="house_edit"),
    path("<int:pk>/horaires/", views.house_hours, name="house_hours"),
    path("<int:pk>/horaires/verifier/", views.house_hours_check, name="house_hours_check"),
    path("<int:pk>/fermetures/", views.house_closures, name="house_closures"),
    path(
        "<int:pk>/fermetures/<int:closure_pk>/supprimer/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("<int:pk>/locaux/", views.house_premises, name="house_premises"),
    path("<int:pk>/equipements/ajouter/", views.equipment_add, name="equipment_add"),
    path(
        "<int:pk>/equipements/<int:item_pk>/supprimer/",
        views.equipment_delete,
        name="equipment_delete",
    ),
    path("<int:pk>/etapes/", views.house_stops, name="house_stops"),
    path("<int:pk>/etapes/<int:stop_pk>/supprimer/", views.stop_delete, name="stop_delete"),
    path("<int:pk>/historique/", views.house_history, name="house_history"),
]
