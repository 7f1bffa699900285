from django.urls import path

from msap.portal import views

urlpatterns = [
    path("partenaire/", views.portal_home, name="portal_home"),
    path("partenaire/rendez-vous/<int:pk>/", views.portal_appointment, name="portal_appointment"),
    path(
        "partenaire/rendez-vous/<int:pk>/reponse/<str:status>/",
        views.portal_appointment_answer,
        name="portal_appointment_answer",
    ),
    path("partenaire/saisines/<int:pk>/", views.portal_transmission, name="portal_transmission"),
    path(
        "partenaire/saisines/<int:pk>/<str:move>/",
        views.portal_transmission_move,
        name="portal_transmission_move",
    ),
    path("partenaire/offre/", views.portal_offer, name="portal_offer"),
    path("partenaire/fiches/", views.portal_cards, name="portal_cards"),
    path("partenaire/chiffres/", views.portal_figures, name="portal_figures"),
    path("partenaire/webhooks/", views.portal_webhooks, name="portal_webhooks"),
    path("partenaire/webhooks/<int:pk>/", views.portal_webhook, name="portal_webhook"),
    path(
        "partenaire/webhooks/<int:pk>/<str:action>/",
        views.portal_webhook_action,
        name="portal_webhook_action",
    ),
    path(
        "partenaire/webhooks/<int:pk>/livraisons/<int:delivery_pk>/renvoyer/",
        views.portal_delivery_replay,
        name="portal_delivery_replay",
    ),
    path("lien/<str:kind>/<int:pk>/<str:token>/", views.link_open, name="link_open"),
    path(
        "lien/<str:kind>/<int:pk>/<str:token>/<str:status>/",
        views.link_answer,
        name="link_answer",
    ),
]
