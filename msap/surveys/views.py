"""The survey's screens (charter commitment 15).

For the public: the short link `/e/` where a visitor types the code of their ticket, the form
`/e/<code>/` (what the QR codes open) and its thanks. For the house: the campaigns, the
counter's screen that hands out a code with its QR code, the sheet of tickets and the poster
(PDF), the results with their charts and comparisons, the moderation of comments, the
publication, the improvement plan. Thin views: access through msap.permissions
(queries.get_campaign_for_user), one service call, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap.core.confirm import confirmed
from msap.core.errors import DomainError
from msap.core.forms import add_domain_error, refusals_on
from msap.core.pages import render_house_tab
from msap.lib.charts import Chart
from msap.network.queries import get_house_for_user
from msap.permissions import check_survey
from msap.surveys import queries, rules, services, sheets
from msap.surveys.forms import ActionForm, ActionUpdateForm, AnswerForm, CampaignForm, TicketsForm
from msap.surveys.models import CommentStatus

TAB = "surveys"


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- the public form ------------------------------------------------------------------------------


@require_GET
def entry(request):
    """The poster's short link: type the code of your ticket."""
    code = rules.normalise_code(request.GET.get("code", ""))
    error = None
    if "code" in request.GET:
        if len(code) == rules.CODE_LENGTH:
            return redirect("survey_form", code=rules.format_code(code))
        error = _("Un code compte 8 caractères, par exemple 7KQM-4TZP : vérifiez votre ticket.")
    return render(
        request,
        "surveys/entry.html",
        {
            "title": _("Enquête de satisfaction"),
            "error": error,
            "typed": request.GET.get("code", "")[:20],
        },
        status=400 if error else 200,
    )


def _refused(request, message: str, status: int):
    return render(
        request,
        "surveys/refused.html",
        {"title": _("Votre réponse n'a pas été enregistrée"), "message": message},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def answer_form(request, code):
    client = _client(request)
    if request.method == "POST":
        size = int(request.META.get("CONTENT_LENGTH") or 0)
        if size > rules.MAX_PAYLOAD_BYTES:
            # Refused before the body is read: nothing of it is parsed or kept.
            return _refused(
                request,
                _(
                    "Votre réponse est trop longue pour être enregistrée : raccourcissez votre commentaire."
                ),
                413,
            )
    try:
        services.check_client_rate(client)
        token = services.token_for(code)
    except DomainError as exc:
        return _refused(request, exc.message, getattr(exc, "status", 400))
    campaign = token.campaign
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST)
        try:
            if form.is_robot:
                services.refuse_robot(client)
            if form.is_valid():
                services.submit_answer(code, form.cleaned_data, client=client)
                return redirect("survey_thanks")
            status = 400
        except DomainError as exc:
            add_domain_error(form, exc)
            status = getattr(exc, "status", 400)
    else:
        form = AnswerForm()
    return render(
        request,
        "surveys/form.html",
        {
            "title": _("Enquête de satisfaction — %(house)s") % {"house": campaign.house.name},
            "house": campaign.house,
            "campaign": campaign,
            "form": form,
            "code": rules.format_code(token.code),
            "scale": rules.SCALE,
        },
        status=status,
    )


@require_GET
def thanks(request):
    return render(request, "surveys/thanks.html", {"title": _("Merci pour votre réponse")})


# --- the house's screens --------------------------------------------------------------------------


def _house(user, house_pk, need):
    house, access = get_house_for_user(user, house_pk)
    check_survey(access, need)
    return house, access


@login_required
@require_GET
def home(request, house_pk):
    house, access = _house(request.user, house_pk, "sees_staff")
    year = timezone.localdate().year
    campaigns = list(queries.campaigns_of(house))
    current = next((c for c in campaigns if c.year == year), None)
    form = None
    if access.manage and current is None:
        form = CampaignForm(
            initial={"year": year, "opens_on": f"{year}-09-01", "closes_on": f"{year}-12-31"}
        )
    return render_house_tab(
        request,
        "surveys/home.html",
        house,
        access,
        tab=TAB,
        title=_("Enquête de satisfaction — %(house)s") % {"house": house.name},
        campaigns=campaigns,
        current=current,
        year=year,
        form=form,
        counts=queries.token_counts(current) if current else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_campaign(request, house_pk):
    house, access = _house(request.user, house_pk, "manage")
    year = timezone.localdate().year
    form = CampaignForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.open_campaign(request.user, house, **form.cleaned_data)
            messages.success(request, _("La campagne d'enquête est ouverte."))
            return redirect("survey_home", house.pk)
    return render_house_tab(
        request,
        "surveys/open.html",
        house,
        access,
        tab=TAB,
        title=_("Ouvrir la campagne d'enquête"),
        form=form,
        status=400 if form.errors else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def counter(request, pk):
    """The counter's screen: a code for the visitor in front of the agent, with its QR code."""
    campaign, access = queries.get_campaign_for_user(request.user, pk, need="staff")
    token = url = qr = None
    error = None
    if request.method == "POST":
        try:
            (token,) = services.issue_tokens(request.user, campaign, 1)
        except DomainError as exc:
            error = exc.message
        else:
            url = sheets.form_url(_base(request), token.code)
            qr = sheets.qr_svg(url, title=_("Code QR du formulaire de l'enquête"))
    return _counter_page(
        request,
        campaign,
        access,
        token=token,
        code=rules.format_code(token.code) if token else None,
        url=url,
        qr=qr,
        error=error,
        status=400 if error else None,
    )


def _counter_page(request, campaign, access, *, tickets_form=None, status=None, **context):
    return render_house_tab(
        request,
        "surveys/counter.html",
        campaign.house,
        access,
        tab=TAB,
        title=_("Remettre un code d'enquête"),
        campaign=campaign,
        tickets_form=tickets_form or TicketsForm(),
        status=status,
        **context,
    )


@login_required
@require_POST
def tickets(request, pk):
    campaign, access = queries.get_campaign_for_user(request.user, pk, need="staff")
    form = TicketsForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            tokens = services.issue_tokens(request.user, campaign, form.cleaned_data["count"])
            pdf = sheets.tickets_pdf(campaign, tokens, _base(request))
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="tickets-enquete-{campaign.year}.pdf"'
            )
            return response
    return _counter_page(request, campaign, access, tickets_form=form, status=400)


@login_required
@require_GET
def poster(request, house_pk):
    house, _access = _house(request.user, house_pk, "staff")
    campaign = queries.campaign_of(house, timezone.localdate().year)
    response = HttpResponse(
        sheets.poster_pdf(house, campaign, _base(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="affiche-enquete.pdf"'
    return response


def _charts(comparison: queries.Comparison, year: int) -> list[Chart]:
    current = comparison.current
    labels = [q.label for q in current.questions]
    charts = [
        Chart(
            _("Répartition des réponses par question (%(year)s)") % {"year": year},
            labels,
            [
                (str(label), [q.counts[i] for q in current.questions])
                for i, (_value, label) in enumerate(rules.SCALE)
            ],
            ident="survey-questions",
        ),
        Chart(
            _("Satisfaction globale : nombre de réponses par note sur 10"),
            [str(m) for m in range(rules.OVERALL_MIN, rules.OVERALL_MAX + 1)],
            [(_("Réponses"), current.overall_counts)],
            kind="columns",
            ident="survey-overall",
        ),
    ]
    series = [(str(year), [round(q.mean or 0, 1) for q in current.questions])]
    if comparison.previous and comparison.previous.count:
        series.append(
            (str(year - 1), [round(q.mean or 0, 1) for q in comparison.previous.questions])
        )
    if comparison.departement_shown:
        series.append(
            (_("Le département"), [round(q.mean or 0, 1) for q in comparison.departement.questions])
        )
    charts.append(
        Chart(
            _("Note moyenne par question (sur 4) : la maison, l'an passé, le département"),
            labels,
            series,
            ident="survey-means",
        )
    )
    return charts


@login_required
@require_GET
def results(request, pk):
    campaign, access = queries.get_campaign_for_user(request.user, pk)
    comparison = queries.comparison(campaign)
    return render_house_tab(
        request,
        "surveys/results.html",
        campaign.house,
        access,
        tab=TAB,
        title=_("Résultats de l'enquête %(year)s") % {"year": campaign.year},
        campaign=campaign,
        comparison=comparison,
        charts=_charts(comparison, campaign.year) if comparison.current.count else [],
        min_shown=rules.MIN_SHOWN,
        overall_max=rules.OVERALL_MAX,
        comments=queries.pending_comments(campaign).filter(comment_status=CommentStatus.APPROVED)
        if not access.staff
        else queries.pending_comments(campaign),
    )


@login_required
@require_GET
def comments(request, pk):
    campaign, access = queries.get_campaign_for_user(request.user, pk, need="manage")
    return render_house_tab(
        request,
        "surveys/comments.html",
        campaign.house,
        access,
        tab=TAB,
        title=_("Modérer les commentaires de l'enquête %(year)s") % {"year": campaign.year},
        campaign=campaign,
        answers=queries.pending_comments(campaign),
    )


@login_required
@require_POST
def moderate(request, pk, decision):
    answer, _access = queries.get_answer_for_user(request.user, pk)
    status = services.DECISIONS.get(decision)
    if status is None:
        messages.error(request, _("Décision inconnue."))
    else:
        try:
            services.moderate(request.user, answer, status)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Commentaire publié.")
                if status == CommentStatus.APPROVED
                else _("Commentaire écarté."),
            )
    return redirect("survey_comments", answer.campaign_id)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    campaign, _access = queries.get_campaign_for_user(request.user, pk, need="manage")
    return confirmed(
        request,
        act=lambda: services.publish(request.user, campaign),
        done=_("Les résultats sont publiés sur la page publique de la maison."),
        back_url=reverse("survey_results", args=[campaign.pk]),
        title=_("Publier les résultats de l'enquête %(year)s") % {"year": campaign.year},
        question=_("Publier les résultats sur la page publique de la maison ?"),
        consequence=_(
            "Les notes et les commentaires que vous avez publiés seront visibles de tous. "
            "Sous %(min)s réponses, seul leur nombre est affiché."
        )
        % {"min": rules.MIN_SHOWN},
        button=_("Publier les résultats"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk):
    campaign, access = queries.get_campaign_for_user(request.user, pk)
    form = ActionForm(request.POST or None)
    status = None
    if request.method == "POST":
        check_survey(access, "manage")
        if form.is_valid():
            with refusals_on(form):
                services.add_action(request.user, campaign, **form.cleaned_data)
                messages.success(request, _("L'action est ajoutée au plan d'amélioration."))
                return redirect("survey_plan", campaign.pk)
        status = 400
    return render_house_tab(
        request,
        "surveys/plan.html",
        campaign.house,
        access,
        tab=TAB,
        title=_("Plan d'amélioration %(year)s") % {"year": campaign.year},
        campaign=campaign,
        plan=queries.plan_for(campaign.house, campaign.year),
        form=form if access.manage else None,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action, access = queries.get_action_for_user(request.user, pk)
    initial = {"status": action.status, "due_on": action.due_on, "progress": action.progress}
    form = ActionUpdateForm(request.POST or None, initial=initial, action=action)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.update_action(request.user, action, **form.cleaned_data)
            messages.success(request, _("L'action est mise à jour."))
            return redirect("survey_plan", action.campaign_id)
    return render_house_tab(
        request,
        "surveys/action.html",
        action.campaign.house,
        access,
        tab=TAB,
        title=_("Action du plan d'amélioration"),
        action=action,
        form=form,
        status=400 if form.errors else None,
    )
