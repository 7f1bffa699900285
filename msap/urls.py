from django.contrib import admin
from django.urls import include, path

from msap.site import views as site_views

urlpatterns = [
    path("healthz", site_views.healthz, name="healthz"),
    path("", site_views.home, name="home"),
    path("connexion/", site_views.LoginView.as_view(), name="login"),
    path("deconnexion/", site_views.logout_view, name="logout"),
    path("langue/", include("django.conf.urls.i18n")),
    path("maisons/", include("msap.network.urls")),
    path("maisons/", include("msap.partners.urls")),
    path("maisons/", include("msap.people.urls")),
    path("", include("msap.desk.urls")),
    path("dossiers/", include("msap.dossiers.urls")),
    path("rendez-vous/", include("msap.appointments.urls")),
    path("", include("msap.portal.urls")),
    path("saisines/", include("msap.transmissions.urls")),
    path("registres/", include("msap.registers.urls")),
    path("charte/", include("msap.charter.urls")),
    path("", include("msap.surveys.urls")),
    path("conventions/", include("msap.conventions.urls")),
    path("comites/", include("msap.committees.urls")),
    path("imports/", include("msap.desk.import_urls")),
    path("donnees/", include("msap.opendata.urls")),
    path("api/v1/", include("msap.api.urls")),
    path("", include("msap.public.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "msap.site.views.error_403"
handler404 = "msap.site.views.error_404"
handler500 = "msap.site.views.error_500"
