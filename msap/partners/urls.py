from django.urls import path

from msap.partners import views

urlpatterns = [
    path("<int:pk>/partenaires/", views.house_partners, name="house_partners"),
    path("<int:pk>/partenaires/ajouter/", views.partnership_add, name="partnership_add"),
    path(
        "<int:pk>/partenaires/<int:partnership_pk>/",
        views.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "<int:pk>/partenaires/<int:partnership_pk>/retrait/",
        views.partnership_withdraw,
        name="partnership_withdraw",
    ),
    path(
        "<int:pk>/partenaires/<int:partnership_pk>/referents/ajouter/",
        views.referent_add,
        name="referent_add",
    ),
    path(
        "<int:pk>/referents/<int:referent_pk>/modifier/", views.referent_edit, name="referent_edit"
    ),
    path("<int:pk>/referents/<int:referent_pk>/fin/", views.referent_end, name="referent_end"),
]
