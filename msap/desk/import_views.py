"""Import of historical attendance (issue 3, part 6): the upload form, the report, the template.

Thin views: they check that the user is staff of the chosen house, call desk.imports, render.
The import runs within the request (files up to imports.MAX_ROWS rows); the page then shows the
report with its counts. The rejected rows travel back signed in the report page, so that
"rejets.csv" can be downloaded without keeping anything on the server.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm

from msap.desk import imports
from msap.lib.forms import parse_id
from msap.network.queries import staff_houses

REJECTS_SALT = "msap.desk.import_rejects"
REJECTS_MAX_AGE = 24 * 3600  # the report's download link works for a day
SHOWN_REJECTS = 200  # rows listed on the page; all of them are in rejets.csv
# A hint for the browser's file picker; the server sniffs the content whatever the name.
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_help() -> str:
    return _(
        "CSV (séparateur « ; » ou « , », UTF-8 ou Windows) ou classeur Excel .xlsx, "
        "%(rows)s lignes et %(size)s Mo au plus."
    ) % {
        "rows": f"{imports.MAX_ROWS:,}".replace(",", "\u202f"),
        "size": settings.MSAP_MAX_UPLOAD_BYTES // 1_048_576,
    }


class ImportForm(DsfrBaseForm):
    house = forms.ModelChoiceField(
        label=gettext_lazy("Maison"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": gettext_lazy("Choisissez une maison où vous travaillez.")
        },
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier à importer"),
        help_text=lazy(_file_help, str)(),
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choisissez le fichier à importer."),
            "empty": gettext_lazy("Le fichier est vide."),
        },
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Si des lignes sont en erreur"),
        choices=[
            (
                imports.ALL_OR_NOTHING,
                gettext_lazy("Tout ou rien : une seule ligne en erreur et rien n'est importé"),
            ),
            (
                imports.REJECTS_ONLY,
                gettext_lazy("Importer les lignes valides et écarter les lignes en erreur"),
            ),
        ],
        initial=imports.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].queryset = houses
        self.fields["file"].widget.group_class = "fr-upload-group"


def _houses(user):
    houses = staff_houses(user).select_related("commune__departement").order_by("name")
    if not houses.exists():
        raise PermissionDenied(_("L'import de fréquentation est réservé aux agents d'une maison."))
    return houses


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    houses = _houses(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, houses=houses)
        if form.is_valid():
            house, upload = form.cleaned_data["house"], form.cleaned_data["file"]
            try:
                report = imports.import_file(
                    request.user, house, upload, form.cleaned_data["mode"], filename=upload.name
                )
            except imports.ImportRefused as exc:
                form.add_error("file", exc.message)
            else:
                rejects = _rejects_token(request.user, report) if report.rejected else ""
                return render(
                    request,
                    "desk/import_report.html",
                    {
                        "title": _("Rapport d'import"),
                        "house": house,
                        "report": report,
                        "shown_rejects": report.rejected[:SHOWN_REJECTS],
                        "rejects_token": rejects,
                    },
                )
    else:
        initial = {}
        wanted = parse_id(request.GET.get("house"))
        if wanted is not None and houses.filter(pk=wanted).exists():
            initial["house"] = wanted
        form = ImportForm(initial=initial, houses=houses)
    return render(
        request,
        "desk/import_upload.html",
        {
            "title": _("Importer un historique de fréquentation"),
            "form": form,
            "columns": imports.COLUMNS,
            "max_rows": imports.MAX_ROWS,
        },
    )


def _rejects_token(user, report) -> str:
    """The rejected rows, signed and compressed, to be posted back to import_rejects; empty
    when they would not fit in a POST (the page then lists them only)."""
    token = signing.dumps(
        {"user": user.pk, "csv": report.rejects_csv()}, salt=REJECTS_SALT, compress=True
    )
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return token if limit is None or len(token) < limit - 10_000 else ""


@login_required
@require_POST
def import_rejects(request):
    """Send back the rejected rows of a report as rejets.csv (signed by the server, one day)."""
    _houses(request.user)
    try:
        payload = signing.loads(
            request.POST.get("rejects", ""), salt=REJECTS_SALT, max_age=REJECTS_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404(_("Ce lien de téléchargement a expiré : relancez l'import.")) from None
    if payload.get("user") != request.user.pk:
        raise PermissionDenied(_("Ce rapport d'import n'est pas le vôtre."))
    response = HttpResponse(payload["csv"].encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rejets.csv"'
    return response


@login_required
@require_GET
def import_template(request, fmt: str):
    if fmt == "csv":
        content, content_type = imports.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = imports.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404(_("Modèle introuvable."))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modele.{fmt}"'
    return response
