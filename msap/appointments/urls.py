from django.urls import path

from msap.appointments import views

urlpatterns = [
    path("maison/<int:house_pk>/", views.appointment_list, name="appointment_list"),
    path("maison/<int:house_pk>/nouveau/", views.appointment_new, name="appointment_new"),
    path("<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("<int:pk>/statut/<str:status>/", views.appointment_status, name="appointment_status"),
    path("<int:pk>/fiche.pdf", views.appointment_sheet, name="appointment_sheet"),
    path("<int:pk>/rendez-vous.ics", views.appointment_ics, name="appointment_ics"),
    path(
        "maison/<int:house_pk>/indicateurs/",
        views.appointment_indicators,
        name="appointment_indicators",
    ),
    path("indicateurs/", views.network_indicators, name="appointment_network_indicators"),
    path("maison/<int:house_pk>/agendas/", views.appointment_feeds, name="appointment_feeds"),
    # The secret token is the key (URL-safe base64: the slug converter's characters).
    path("agenda/<slug:token>.ics", views.appointment_feed, name="appointment_feed"),
]
