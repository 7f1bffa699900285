from django.urls import path, register_converter

from msap.conventions import views


class DocumentFormat:
    regex = "docx|pdf"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(DocumentFormat, "docfmt")

urlpatterns = [
    path("<int:pk>/", views.convention_detail, name="convention_detail"),
    path("<int:pk>/modifier/", views.convention_edit, name="convention_edit"),
    path(
        "<int:pk>/document.<docfmt:doc_format>",
        views.convention_document,
        name="convention_document",
    ),
    path("<int:pk>/signataires/ajouter/", views.signatory_add, name="signatory_add"),
    path("<int:pk>/signataires/<int:signatory_pk>/", views.signatory_edit, name="signatory_edit"),
    path(
        "<int:pk>/signataires/<int:signatory_pk>/retrait/",
        views.signatory_withdraw,
        name="signatory_withdraw",
    ),
    path("<int:pk>/denonciation/", views.convention_denounce, name="convention_denounce"),
    path("<int:pk>/adhesions/ajouter/", views.adhesion_add, name="adhesion_add"),
    path(
        "<int:pk>/adhesions/<int:adhesion_pk>/examen/",
        views.adhesion_examine,
        name="adhesion_examine",
    ),
    path(
        "<int:pk>/adhesions/<int:adhesion_pk>/signature/",
        views.adhesion_sign,
        name="adhesion_sign",
    ),
    path("<int:pk>/services/retrait/", views.service_withdraw, name="service_withdraw"),
    path("<int:pk>/modalites/<int:year>/<int:signatory_pk>/", views.terms_edit, name="terms_edit"),
]
