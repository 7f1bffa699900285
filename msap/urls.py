from django.contrib import admin
from django.urls import include, path

from msap.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", core_views.home, name="home"),
    path("connexion/", core_views.LoginView.as_view(), name="login"),
    path("deconnexion/", core_views.logout_view, name="logout"),
    path("langue/", include("django.conf.urls.i18n")),
    path("maisons/", include("msap.network.urls")),
    path("maisons/", include("msap.partners.urls")),
    path("maisons/", include("msap.people.urls")),
    path("", include("msap.desk.urls")),
    path("dossiers/", include("msap.dossiers.urls")),
    path("registres/", include("msap.registers.urls")),
    path("imports/", include("msap.desk.import_urls")),
    path("api/v1/", include("msap.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "msap.core.views.error_403"
handler404 = "msap.core.views.error_404"
handler500 = "msap.core.views.error_500"
