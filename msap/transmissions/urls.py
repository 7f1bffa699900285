from django.urls import path

from msap.transmissions import views

urlpatterns = [
    path("maison/<int:house_pk>/", views.transmission_list, name="transmission_list"),
    path("maison/<int:house_pk>/nouvelle/", views.transmission_new, name="transmission_new"),
    path("<int:pk>/", views.transmission_detail, name="transmission_detail"),
    path("<int:pk>/reponse/", views.transmission_answer, name="transmission_answer"),
    path(
        "<int:pk>/pieces/<int:attachment_pk>/",
        views.transmission_attachment,
        name="transmission_attachment",
    ),
]
