"""Included at the site's root: the public short links (/e/) and the house's screens (/enquetes/)."""

from django.urls import path

from msap.surveys import views

urlpatterns = [
    # The public form: the poster's link, then the ticket's code (what its QR code opens).
    path("e/", views.entry, name="survey_entry"),
    path("e/merci/", views.thanks, name="survey_thanks"),
    path("e/<str:code>/", views.answer_form, name="survey_form"),
    path("enquetes/maison/<int:house_pk>/", views.home, name="survey_home"),
    path("enquetes/maison/<int:house_pk>/ouvrir/", views.open_campaign, name="survey_open"),
    path("enquetes/maison/<int:house_pk>/affiche.pdf", views.poster, name="survey_poster"),
    path("enquetes/<int:pk>/guichet/", views.counter, name="survey_counter"),
    path("enquetes/<int:pk>/tickets.pdf", views.tickets, name="survey_tickets"),
    path("enquetes/<int:pk>/resultats/", views.results, name="survey_results"),
    path("enquetes/<int:pk>/commentaires/", views.comments, name="survey_comments"),
    path("enquetes/reponses/<int:pk>/<slug:decision>/", views.moderate, name="survey_moderate"),
    path("enquetes/<int:pk>/publier/", views.publish, name="survey_publish"),
    path("enquetes/<int:pk>/plan/", views.plan, name="survey_plan"),
    path("enquetes/actions/<int:pk>/", views.action_edit, name="survey_action"),
]
