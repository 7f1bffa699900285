from django.urls import path

from msap.public import views

urlpatterns = [
    path("trouver/", views.search, name="public_search"),
    path("trouver/communes/", views.communes, name="public_communes"),
    path("maison/<slug:slug>/", views.house, name="public_house"),
    path("maison/<slug:slug>/ecrire/<slug:kind>/", views.write, name="public_write"),
    path("maison/<slug:slug>/recu/<str:reference>/", views.ack, name="public_ack"),
    path("accessibilite/", views.accessibility, name="public_accessibility"),
    path("mentions-legales/", views.legal, name="public_legal"),
    path("donnees-personnelles/", views.privacy, name="public_privacy"),
    path("plan-du-site/", views.plan, name="public_plan"),
    path("sitemap.xml", views.sitemap, name="public_sitemap"),
    path("robots.txt", views.robots, name="public_robots"),
]
