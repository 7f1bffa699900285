from django.urls import path

from msap.committees import views

urlpatterns = [
    path("", views.committee_overview, name="committee_overview"),
    path("bilan-annuel/", views.committee_review, name="committee_review"),
    path("maison/<int:house_pk>/", views.committee_list, name="committee_list"),
    path("maison/<int:house_pk>/nouvelle/", views.committee_new, name="committee_new"),
    path("<int:pk>/", views.committee_meeting, name="committee_meeting"),
    path("<int:pk>/modifier/", views.committee_edit, name="committee_edit"),
    path("<int:pk>/compte-rendu/", views.committee_minutes, name="committee_minutes"),
    path(
        "<int:pk>/compte-rendu/fichier/",
        views.committee_minutes_file,
        name="committee_minutes_file",
    ),
    path("<int:pk>/presence/", views.committee_presence, name="committee_presence"),
    path("<int:pk>/membres/", views.committee_member_add, name="committee_member_add"),
    path("<int:pk>/axes/", views.committee_axis_add, name="committee_axis_add"),
    path("<int:pk>/statut/", views.committee_status, name="committee_status"),
    path("<int:pk>/invitation/", views.committee_invite, name="committee_invite"),
    path("<int:pk>/comite.ics", views.committee_ics, name="committee_ics"),
    path("axes/<int:pk>/statut/", views.committee_axis_status, name="committee_axis_status"),
]
