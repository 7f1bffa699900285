"""Register screens of a house (charter commitments 11–15): what is to be answered, by when.

Thin views: they parse, check access through msap.permissions (house staff only — senders'
data is never shown to the prefecture, the national cell or partner referents), call
registers.services, render. Dates are shown and typed in the house's time zone.
"""

import logging
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap.core import journal
from msap.core.errors import DomainError
from msap.core.forms import refusal_as_message, refusals_on
from msap.lib.dates import end_of_day
from msap.lib.uploads import download_response, private_file_response
from msap.network.queries import get_house_for_user
from msap.registers import letters, queries, rules, services
from msap.registers.forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    ExemptForm,
    ItemForm,
    LinkForm,
    ListFilterForm,
    OverrideForm,
    RedirectForm,
    VersionForm,
)
from msap.registers.models import OPEN_STATES, Attachment, Kind, RegisterItem, Status
from msap.registers.queries import get_item_for_user

log = logging.getLogger(__name__)

TAB = "registers"
PAGE_SIZE = 50
# URL slugs of the registers, in the order of the tabs.
KIND_SLUGS = {
    "courrier-arrive": Kind.INCOMING_MAIL,
    "courrier-depart": Kind.OUTGOING_MAIL,
    "courriels": Kind.EMAIL,
    "appels": Kind.PHONE,
    "reclamations": Kind.COMPLAINT,
    "remarques-suggestions": Kind.SUGGESTION,
}
SLUG_FOR = {kind: slug for slug, kind in KIND_SLUGS.items()}
NEW_LABELS = {
    Kind.INCOMING_MAIL: gettext_lazy("Enregistrer un courrier arrivé"),
    Kind.OUTGOING_MAIL: gettext_lazy("Enregistrer un courrier départ"),
    Kind.EMAIL: gettext_lazy("Enregistrer un courriel"),
    Kind.PHONE: gettext_lazy("Enregistrer un appel"),
    Kind.COMPLAINT: gettext_lazy("Enregistrer une réclamation"),
    Kind.SUGGESTION: gettext_lazy("Enregistrer une remarque ou suggestion"),
}


# --- access ---------------------------------------------------------------------------------------


def _get_house(user, house_pk):
    # Staff only: a register holds senders' personal data (SPEC confidentiality).
    return get_house_for_user(user, house_pk, need="staff")


def _kind(slug: str) -> str:
    try:
        return KIND_SLUGS[slug]
    except KeyError:
        raise Http404(_("Registre inconnu.")) from None


# --- what the lists show ----------------------------------------------------------------------------


def delay_state(item: RegisterItem, now: datetime, tz) -> dict:
    """The delay badge of an item: overdue by N days, due soon, on time, answered late…"""
    if item.status in OPEN_STATES:
        if item.due_at is None:
            return {"label": _("Sans délai"), "level": ""}
        if services.is_overdue(item, now):
            days = max(1, (now.astimezone(tz).date() - item.due_at.astimezone(tz).date()).days)
            return {
                "label": ngettext("En retard de %(n)d jour", "En retard de %(n)d jours", days)
                % {"n": days},
                "level": "error",
            }
        if item.due_at <= now + timedelta(days=rules.DUE_SOON_DAYS):
            return {"label": _("Échéance proche"), "level": "warning"}
        return {"label": _("Dans les délais"), "level": "info"}
    if item.on_time is True:
        return {"label": _("Répondu dans les délais"), "level": "success"}
    if item.on_time is False:
        return {"label": _("Répondu hors délai"), "level": "warning"}
    return {"label": "—", "level": ""}


def _rows(items, now, tz) -> list[dict]:
    return [{"item": item, "state": delay_state(item, now, tz)} for item in items]


def _month_label(day) -> str:
    # "décembre 2026", "December 2026": the reader's month names, not the letters' French ones.
    return date_format(day, "YEAR_MONTH_FORMAT")


def _tabs(house, counts: dict, figures: dict | None, current: str | None) -> list[dict]:
    tabs = []
    for slug, kind in KIND_SLUGS.items():
        tabs.append(
            {
                "kind": kind,
                "label": kind.label,
                "url": reverse("register_list", args=[house.pk, slug]),
                "new_url": reverse("item_new", args=[house.pk, slug]),
                "new_label": NEW_LABELS[kind],
                "total": counts.get(kind, {}).get("total", 0),
                "open": counts.get(kind, {}).get("open", 0),
                "figure": (figures or {}).get(kind),
                "current": kind == current,
            }
        )
    return tabs


# --- screens ------------------------------------------------------------------------------------------


@login_required
@require_GET
def registers_home(request, house_pk):
    house, access = _get_house(request.user, house_pk)
    tz = house.tz
    now = timezone.now()
    lists = queries.home_lists(house, request.user, now)
    with timezone.override(tz):
        return render(
            request,
            "registers/home.html",
            {
                "house": house,
                "access": access,
                "tab": TAB,
                "title": _("Registres — %(house)s") % {"house": house.name},
                "tabs": _tabs(
                    house, queries.register_counts(house), queries.on_time_figures(house, now), None
                ),
                "overdue": _rows(lists["overdue"], now, tz),
                "due_soon": _rows(lists["due_soon"], now, tz),
                "mine": _rows(lists["mine"], now, tz),
                "due_soon_days": rules.DUE_SOON_DAYS,
                "limit": queries.HOME_LIST_LIMIT,
                "month_label": _month_label(now.astimezone(tz).date()),
            },
        )


@login_required
@require_GET
def register_list(request, house_pk, kind):
    house, access = _get_house(request.user, house_pk)
    kind = _kind(kind)
    tz = house.tz
    now = timezone.now()
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else None
    items = queries.register_items(house, kind, now, filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    with timezone.override(tz):
        return render(
            request,
            "registers/list.html",
            {
                "house": house,
                "access": access,
                "tab": TAB,
                "kind": kind,
                "slug": SLUG_FOR[kind],
                "title": _("%(register)s — %(house)s")
                % {"register": kind.label, "house": house.name},
                "tabs": _tabs(house, queries.register_counts(house), None, kind),
                "form": form,
                "page": page,
                "rows": _rows(page.object_list, now, tz),
                "new_url": reverse("item_new", args=[house.pk, SLUG_FOR[kind]]),
                "new_label": NEW_LABELS[kind],
            },
        )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, house_pk, kind):
    house, access = _get_house(request.user, house_pk)
    kind = _kind(kind)
    with timezone.override(house.tz):
        initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        form = ItemForm(request.POST or None, house=house, kind=kind, initial=initial)
        if request.method == "POST" and form.is_valid():
            with refusals_on(form):
                item = services.record_item(
                    request.user,
                    house,
                    **form.record_kwargs(),
                    agent=form.cleaned_data.get("assigned_to"),
                    reply_to=form.cleaned_data.get("reply_to"),
                )
                messages.success(
                    request,
                    _("%(item)s : enregistré.")
                    % {"item": f"{item.get_kind_display()} n°{item.number}"},
                )
                return redirect("item_detail", register_item_pk=item.pk)
        return render(
            request,
            "registers/item_form.html",
            {
                "house": house,
                "access": access,
                "tab": TAB,
                "kind": kind,
                "title": NEW_LABELS[kind],
                "form": form,
                "list_url": reverse("register_list", args=[house.pk, SLUG_FOR[kind]]),
            },
        )


# --- one item ---------------------------------------------------------------------------------------------


def _allowed_actions(item: RegisterItem) -> set[str]:
    # The status actions are the moves the item's state machine allows now.
    allowed = set(item.available_statuses())
    actions = {"link", "attachment"}
    if item.status != Status.CLOSED:
        actions.add("assign")
    for action, status in (
        ("start", Status.IN_PROGRESS),
        ("answer", Status.ANSWERED),
        ("redirect", Status.REDIRECTED),
        ("exempt", Status.EXEMPT),
        ("close", Status.CLOSED),
        ("reset", Status.NEW),
    ):
        if status in allowed:
            actions.add(action)
    if item.status in OPEN_STATES:
        actions.add("due")
    return actions


# The form of each action on an item; its prefix is the action's name.
ACTION_FORMS = {
    "assign": AssignForm,
    "start": VersionForm,
    "answer": AnswerForm,
    "redirect": RedirectForm,
    "exempt": ExemptForm,
    "close": VersionForm,
    "reset": VersionForm,
    "due": OverrideForm,
    "link": LinkForm,
    "attachment": AttachmentForm,
}
# The forms that offer the house's agents, referents or register items.
HOUSE_FORMS = {"assign", "redirect", "link"}


def _action_form(action: str, item: RegisterItem, *data, **kwargs):
    """The form of one action on the item: bound to `data` (POST, FILES), or with `initial`."""
    if action in HOUSE_FORMS:
        kwargs["house"] = item.house
    return ACTION_FORMS[action](*data, prefix=action, **kwargs)


def _action_forms(item: RegisterItem, actions: set[str]) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    # What each form shows beyond the version the user reads.
    shown = {
        "assign": {"agent": item.assigned_to_id},
        "answer": {"answered_at": now, "answer_text": item.answer_text},
        "redirect": {"answered_at": now},
    }
    return {
        action: _action_form(
            action, item, initial={"version": item.version, **shown.get(action, {})}
        )
        for action in ACTION_FORMS
        if action in actions
    }


def _detail_context(pk, access, failed: tuple[str, object] | None = None) -> dict:
    # Read again: a refused action may have changed the instance in memory, never the row.
    item = queries.item_for_detail(pk)
    now = timezone.now()
    tz = item.house.tz
    actions = _allowed_actions(item)
    forms = _action_forms(item, actions)
    if failed:
        forms[failed[0]] = failed[1]
    rule = rules.RULES.get(item.due_rule)
    relations = queries.item_relations(item)
    # Each entry read in the reader's language (journal.describe), not as it was stored.
    relations["history"] = [{"entry": e, "text": journal.describe(e)} for e in relations["history"]]
    letter_state = {}
    for code, letter in letters.LETTERS.items():
        try:
            letters.check_letter(item, letter)
            letter_state[code] = True
        except DomainError:
            letter_state[code] = False
    return {
        "house": item.house,
        "access": access,
        "tab": TAB,
        "title": str(item),
        "item": item,
        "slug": SLUG_FOR[item.kind],
        "list_url": reverse("register_list", args=[item.house_id, SLUG_FOR[item.kind]]),
        "rule": rule,
        "state": delay_state(item, now, tz),
        "forms": forms,
        "failed": failed[1] if failed else None,
        **relations,
        "letters": letter_state,
    }


@login_required
@require_GET
def item_detail(request, register_item_pk):
    item, access = get_item_for_user(request.user, register_item_pk)
    with timezone.override(item.house.tz):
        return render(request, "registers/item_detail.html", _detail_context(item.pk, access))


# The actions that only move the item to a status: the status, the form's fields the service
# takes with it, the message once done.
STATUS_ACTIONS = {
    "start": (Status.IN_PROGRESS, (), gettext_lazy("L'élément est en cours de traitement.")),
    "answer": (
        Status.ANSWERED,
        ("answered_at", "answer_text"),
        gettext_lazy("La réponse est enregistrée."),
    ),
    "exempt": (
        Status.EXEMPT,
        ("exempt_reason", "exempt_note"),
        gettext_lazy("L'élément est dispensé de réponse."),
    ),
    "close": (Status.CLOSED, (), gettext_lazy("L'élément est clos.")),
    "reset": (Status.NEW, (), gettext_lazy("L'élément est de nouveau à traiter.")),
}


def _perform(user, item: RegisterItem, action: str, form) -> str:
    """Call the service for one action; return the success message."""
    data = form.cleaned_data
    version = data["version"]
    if action == "assign":
        services.assign(user, item, data["agent"], version)
        return (
            _("L'élément est confié à %(agent)s.") % {"agent": data["agent"]}
            if data["agent"]
            else _("L'élément n'est plus attribué.")
        )
    if action in STATUS_ACTIONS:
        status, fields, done = STATUS_ACTIONS[action]
        services.set_status(user, item, status, version, **{name: data[name] for name in fields})
        return str(done)
    if action == "redirect":
        text = letters.redirect_answer_text(data["referent"], data["note"])
        services.set_status(
            user,
            item,
            Status.REDIRECTED,
            version,
            answered_at=data["answered_at"],
            answer_text=text,
        )
        return _("L'usager est réorienté vers le référent compétent.")
    if action == "due":
        # Same convention as rules.due_date: due at the end of its last day, local time.
        due_at = end_of_day(data["due_date"], item.house.tz)
        services.override_due(user, item, due_at, data["reason"], version)
        return _("L'échéance est modifiée.")
    if action == "link":
        services.link_items(user, item, data["target"], data["relation"])
        return _("Le lien est enregistré.")
    if action == "attachment":
        services.add_attachment(user, item, data["file"])
        return _("La pièce jointe est ajoutée.")
    raise Http404(_("Action inconnue."))


@login_required
@require_POST
def item_action(request, register_item_pk, action):
    item, access = get_item_for_user(request.user, register_item_pk)
    if action not in ACTION_FORMS:
        raise Http404(_("Action inconnue."))
    with timezone.override(item.house.tz):
        form = _action_form(action, item, request.POST, request.FILES)
        if form.is_valid():
            with refusals_on(form):
                message = _perform(request.user, item, action, form)
                messages.success(request, message)
                return redirect(
                    reverse("item_detail", args=[item.pk])
                    + f"#{'pieces' if action == 'attachment' else 'statut'}"
                )
        # Refused: the page again with the form and its French errors, as every refused form
        # answers (200), nothing changed.
        ctx = _detail_context(item.pk, access, failed=(action, form))
        return render(request, "registers/item_detail.html", ctx)


@login_required
@require_GET
def attachment_download(request, register_item_pk, attachment_pk):
    item, _access = get_item_for_user(request.user, register_item_pk)
    try:
        att = Attachment.objects.get(pk=attachment_pk, item=item)
    except Attachment.DoesNotExist:
        raise Http404(_("Pièce jointe introuvable.")) from None
    stem = slugify(PurePosixPath(att.original_name).stem)[:60] or f"piece-{att.pk}"
    return private_file_response(
        att.file, stem, missing=_("Le fichier de cette pièce jointe est introuvable.")
    )


def _letter(request, pk, code):
    item, _access = get_item_for_user(request.user, pk)
    with refusal_as_message(request):
        pdf, _outgoing = letters.issue_letter(request.user, item, code)
        filename = f"{letters.LETTERS[code].filename}-{SLUG_FOR[item.kind]}-{item.number}.pdf"
        return download_response(pdf, "application/pdf", filename)
    return redirect("item_detail", register_item_pk=item.pk)


@login_required
@require_POST
def ack_letter(request, register_item_pk):
    """The acknowledgement of receipt (PDF); registers the outgoing letter once a day."""
    return _letter(request, register_item_pk, letters.ACK.code)


@login_required
@require_POST
def answer_letter(request, register_item_pk):
    """The answer letter (PDF) carrying the recorded answer; registers the outgoing letter."""
    return _letter(request, register_item_pk, letters.ANSWER.code)
