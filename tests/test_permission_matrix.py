"""Every URL, every role: who gets the page (200 or a redirect after a POST), who is refused
(403), and for whom the object does not exist (404). SPEC "Who uses it" and art. 3.5: an agent
never sees another house's data, a partner only what is addressed to it, the public nothing.

`MATRIX` must name every URL of the application (see test_every_url_is_in_the_matrix): a new
screen is not finished until its row is here.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from msap.appointments import services as appointment_services
from msap.appointments.models import Appointment
from msap.charter import services as charter_services
from msap.committees import services as committee_services
from msap.conventions import services as convention_services
from msap.dossiers import services as dossier_services
from msap.network.models import Closure, Equipment
from msap.people.models import Membership
from msap.portal import links
from msap.portal.models import PartnerLink
from msap.registers import services as register_services
from msap.surveys import rules as survey_rules
from msap.surveys import services as survey_services
from msap.transmissions import services as transmission_services
from msap.webhooks import services as webhook_services
from msap.webhooks.models import Delivery, Endpoint
from tests import factories as f
from tests.conventions.filled import fill

ROLES = [
    "anonymous",
    "agent",
    "responsable",
    "other_agent",
    "gestionnaire",
    "referent_caf",
    "referent_msa",
    "prefecture",
    "national",
    "admin",
    "norole",
]
HIDDEN = ("other_agent", "referent_msa", "norole")  # the house does not exist for them


def access(ok=(), forbidden=(), hidden=HIDDEN, anonymous=302):
    """Expected status per role; roles in `ok` get 200 on a GET (their POST is tested with its
    screen: the matrix posts only as the roles refused)."""
    table = {"anonymous": anonymous}
    table.update(dict.fromkeys(ok, "ok"))
    table.update(dict.fromkeys(forbidden, 403))
    table.update(dict.fromkeys(hidden, 404))
    missing = set(ROLES) - set(table)
    assert not missing, f"roles without expectation: {missing}"
    return table


ALL_VIEWERS = (
    "agent",
    "responsable",
    "gestionnaire",
    "referent_caf",
    "prefecture",
    "national",
    "admin",
)
VIEW = access(ok=ALL_VIEWERS)
MANAGE = access(
    ok=("responsable", "gestionnaire", "admin"),
    forbidden=("agent", "referent_caf", "prefecture", "national"),
)
STAFF = access(
    ok=("agent", "responsable", "gestionnaire", "admin"),
    forbidden=("referent_caf", "prefecture", "national"),
)
SEES_STAFF = access(
    ok=("agent", "responsable", "gestionnaire", "prefecture", "national", "admin"),
    forbidden=("referent_caf",),
)
MANAGE_OR_OVERSEE = access(
    ok=("responsable", "gestionnaire", "prefecture", "national", "admin"),
    forbidden=("agent", "referent_caf"),
)
REFERENT_CARD = access(
    ok=("responsable", "gestionnaire", "admin", "referent_caf"),
    forbidden=("agent", "prefecture", "national"),
)
# Personal files: need-to-know, only the agents who receive the person (art. 3.5).
COUNTER = access(
    ok=("agent", "responsable"),
    forbidden=("gestionnaire", "referent_caf", "prefecture", "national", "admin"),
)
# Recording is for people who work in a house (any of theirs); the others have no counter.
STAFF_ANYWHERE = access(
    ok=("agent", "responsable", "other_agent", "gestionnaire", "admin"),
    forbidden=("referent_caf", "referent_msa", "prefecture", "national", "norole"),
    hidden=(),
)
# A recorded request is amended by its author only, within the edit window; like every record
# of a house, it is 404 only where the house is unseen (msap.permissions).
AUTHOR = access(
    ok=("agent",),
    forbidden=("responsable", "gestionnaire", "admin", "referent_caf", "prefecture", "national"),
)
NATIONAL_CELL = access(
    ok=("national", "admin"),
    forbidden=tuple(r for r in ROLES if r not in ("anonymous", "national", "admin")),
    hidden=(),
)
ANY_USER = access(ok=tuple(r for r in ROLES if r != "anonymous"), hidden=())
# Open data and the public site (issue 10): everyone, with or without an account.
EVERYONE = access(ok=tuple(ROLES), hidden=())
# The partner portal (issue 9, item 6): for partner referents, each of its own organisation.
REFERENTS = ("referent_caf", "referent_msa")
REFERENT_ONLY = access(
    ok=REFERENTS, forbidden=tuple(r for r in ROLES if r not in (*REFERENTS, "anonymous")), hidden=()
)
# An item addressed to the CAF: its referents answer it; the house's staff and overseers see it
# exists (403); for any other referent, or a user without the house, it does not exist.
PARTNER_ITEM = access(
    ok=("referent_caf",),
    forbidden=("agent", "responsable", "gestionnaire", "prefecture", "national", "admin"),
)
# The CAF's own webhook endpoint: another partner's referents do not learn of it.
PARTNER_ENDPOINT = access(
    ok=("referent_caf",),
    forbidden=tuple(r for r in ROLES if r not in REFERENTS and r != "anonymous"),
    hidden=("referent_msa",),
)
# A transmission to the CAF: its referents answer it, the house's agents see it but answer for
# the house only (403); for anyone else it does not exist (permissions.transmission_access).
PARTNER_TRANSMISSION = access(
    ok=("referent_caf",),
    forbidden=("agent", "responsable"),
    hidden=(*HIDDEN, "gestionnaire", "prefecture", "national", "admin"),
)
# The network's overseers: the departmental and national cells (and the technical admin).
OVERSEERS = access(
    ok=("prefecture", "national", "admin"),
    forbidden=(
        "agent",
        "responsable",
        "other_agent",
        "gestionnaire",
        "referent_caf",
        "referent_msa",
        "norole",
    ),
    hidden=(),
)
# A signed link opens its one item for whoever holds it, signed in or not (Dora).
SIGNED_LINK = access(ok=ROLES, hidden=())
# A transmission: the agents of the house and the referents of the partner it is addressed to;
# for everyone else it does not exist (the overseers read figures only).
NOT_ADDRESSED = tuple(
    r for r in ROLES if r not in ("anonymous", "agent", "responsable", "referent_caf")
)
TRANSMISSION = access(ok=("agent", "responsable", "referent_caf"), hidden=NOT_ADDRESSED)
TRANSMISSION_HOUSE = access(
    ok=("agent", "responsable"), forbidden=("referent_caf",), hidden=NOT_ADDRESSED
)


def objects(world):
    """Objects of `world.house` that URLs point at, built once per test."""
    house = world.house
    closure = Closure.objects.create(
        house=house,
        start_date=dt.date(2026, 12, 24),
        end_date=dt.date(2026, 12, 31),
        reason="Congés",
    )
    equipment = Equipment.objects.create(house=house, kind="scanner")
    stop = f.MobileStopFactory(house=house)
    membership = Membership.objects.get(user=world.users.agent, house=house)
    training = f.TrainingFactory(user=world.users.agent, house=house)
    training.attestation.save(
        "attestation.pdf", SimpleUploadedFile("attestation.pdf", b"%PDF-1.4 attestation"), save=True
    )
    evidence = charter_services.record_evidence(
        world.users.responsable,
        house,
        commitment="9",
        kind="opening_procedure",
        dated_on=dt.date(2026, 1, 5),
        upload=SimpleUploadedFile("procedure.pdf", b"%PDF-1.4 procedure"),
    )
    dossier = f.DossierFactory(house=house, consent_by=world.users.agent, last_name="Durand")
    document = dossier_services.add_document(
        world.users.agent, dossier, SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis")
    )
    request = f.ServiceRequestFactory(house=house, agent=world.users.agent)
    letter = f.RegisterItemFactory(
        house=house, created_by=world.users.agent, received_at=timezone.now(), subject="Courrier"
    )
    scan = register_services.add_attachment(
        world.users.agent, letter, SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    )
    kind = f.AppointmentTypeFactory(partnership=world.caf, location_type="phone")
    appointment = Appointment.objects.create(
        house=house,
        appointment_type=kind,
        adviser=f.AdviserFactory(partnership=world.caf),
        start=timezone.now() + dt.timedelta(days=3),
        end=timezone.now() + dt.timedelta(days=3, minutes=30),
        booked_by=world.users.agent,
        person_name="Jeanne Moreau",
        person_phone="06 12 34 56 78",
    )
    link = PartnerLink.objects.create(
        kind="appointment",
        appointment=appointment,
        referent=world.caf_referent,
        email=world.caf_referent.email,
        expires_at=appointment.start,
    )
    endpoint = Endpoint.objects.create(
        partner=world.caf.partner, url="https://93.184.216.34/msap", event_types=["ping"]
    )
    webhook_services.emit("ping", world.caf.partner, {})
    transmission, _created = transmission_services.send(
        world.users.agent,
        house,
        partnership=world.caf,
        subject="Droits RSA",
        question="Quels droits ?",
        person_name="Rose Martin",
        consent=True,
        consent_categories=["identity", "documents"],
        consent_until=timezone.localdate() + dt.timedelta(days=30),
        attachments=[SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis")],
    )
    _complaint, ack = f.public_complaint(house)
    campaign = f.survey_campaign(house)
    commented = f.survey_answer(campaign, comment="Accueil très agréable.")
    action = survey_services.add_action(
        None, campaign, title="Afficher les horaires", owner="Accueil", due_on=dt.date(2030, 1, 31)
    )
    (survey_token,) = survey_services.issue_tokens(None, campaign, 1)
    meeting, _created = committee_services.plan_meeting(
        world.users.responsable,
        house,
        day=timezone.localdate() - dt.timedelta(days=10),
        at=dt.time(14),
        place="Salle du conseil",
        agenda=["Bilan de l'année"],
    )
    committee_services.record_minutes(
        world.users.responsable,
        meeting,
        version=meeting.version,
        minutes="Compte rendu",
        upload=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 compte rendu"),
    )
    axis = committee_services.add_axis(
        world.users.responsable,
        meeting,
        title="Axe",
        owner="Gestionnaire",
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )
    convention = fill(world)
    adhesion = convention_services.request_adhesion(
        world.users.responsable,
        convention,
        f.national_partner("msa"),
        requested_on=convention.signed_on,
    )
    return {
        "campaign_pk": campaign.pk,
        "answer_pk": commented.pk,
        "survey_action_pk": action.pk,
        "survey_code": survey_rules.format_code(survey_token.code),
        "decision": "publier",
        "meeting_pk": meeting.pk,
        "axis_pk": axis.pk,
        "signatory_pk": convention.signatories.get(partnership=world.caf).pk,
        "adhesion_pk": adhesion.pk,
        "year": timezone.localdate().year,
        "doc_format": "docx",
        "house_slug": house.slug,
        "form_kind": "reclamation",
        "ack_reference": ack,
        "transmission_pk": transmission.pk,
        "transmission_attachment_pk": transmission.attachments.get().pk,
        "transmission_move": "prise-en-charge",
        "link_kind": "rendez-vous",
        "token": links.token_for(link),
        "endpoint_pk": endpoint.pk,
        "delivery_pk": Delivery.objects.get(endpoint=endpoint).pk,
        "webhook_action": "pause",
        "appointment_pk": appointment.pk,
        "feed_token": appointment_services.feed_of(adviser=appointment.adviser).token,
        "appointment_status": "confirmed",
        "register_item_pk": letter.pk,
        "attachment_pk": scan.pk,
        "kind": "courrier-arrive",
        "action": "start",
        "request_pk": request.pk,
        "dossier_pk": dossier.pk,
        "doc_pk": document.pk,
        "fmt": "json",
        "import_fmt": "csv",
        "pk": house.pk,
        "house_pk": house.pk,
        "closure_pk": closure.pk,
        "item_pk": equipment.pk,
        "stop_pk": stop.pk,
        "partnership_pk": world.caf.pk,
        "referent_pk": world.caf_referent.pk,
        "membership_pk": membership.pk,
        "training_pk": training.pk,
        "charter_evidence_pk": evidence.pk,
    }


# name -> (method, URL keywords (tuple of object keys, or {keyword: object key}), expectations
# [, the GET's query]). "GET+POST": an irreversible action, whose GET is its confirmation page
# (msap/core/confirm.py) and POST the action: both are checked.
MATRIX = {
    # Signed out, the home is the public site's (find a house); signed in, the role's home.
    "home": ("GET", (), EVERYONE),
    # The public site (issue 10): everyone, signed in or not.
    "public_search": ("GET", (), EVERYONE, {"q": "tulle"}),
    "public_communes": ("GET", (), EVERYONE, {"q": "tul"}),
    "public_house": ("GET", {"slug": "house_slug"}, EVERYONE),
    "public_write": ("GET", {"slug": "house_slug", "kind": "form_kind"}, EVERYONE),
    "public_ack": ("GET", {"slug": "house_slug", "reference": "ack_reference"}, EVERYONE),
    "public_accessibility": ("GET", (), EVERYONE),
    "public_legal": ("GET", (), EVERYONE),
    "public_privacy": ("GET", (), EVERYONE),
    "public_plan": ("GET", (), EVERYONE),
    "public_sitemap": ("GET", (), EVERYONE),
    "public_robots": ("GET", (), EVERYONE),
    "house_list": ("GET", (), ANY_USER),
    "commune_search": ("GET", (), ANY_USER),
    "opendata_houses_csv": ("GET", (), EVERYONE),
    "opendata_houses_json": ("GET", (), EVERYONE),
    "opendata_houses_schema": ("GET", (), EVERYONE),
    "house_detail": ("GET", ("pk",), VIEW),
    "house_edit": ("GET", ("pk",), MANAGE),
    "house_hours": ("GET", ("pk",), VIEW),
    "house_hours_check": ("POST", ("pk",), VIEW),
    "house_closures": ("GET", ("pk",), VIEW),
    "closure_delete": ("GET+POST", ("pk", "closure_pk"), MANAGE),
    "house_premises": ("GET", ("pk",), VIEW),
    "equipment_add": ("POST", ("pk",), MANAGE),
    "equipment_delete": ("GET+POST", ("pk", "item_pk"), MANAGE),
    "house_stops": ("GET", ("pk",), VIEW),
    "stop_delete": ("GET+POST", ("pk", "stop_pk"), MANAGE),
    "house_history": ("GET", ("pk",), MANAGE_OR_OVERSEE),
    "house_partners": ("GET", ("pk",), VIEW),
    "partnership_add": ("GET", ("pk",), MANAGE),
    "partnership_detail": ("GET", ("pk", "partnership_pk"), VIEW),
    "partnership_withdraw": (
        "GET+POST",
        ("pk", "partnership_pk"),
        MANAGE,
        {"left_on": "2030-01-31"},
    ),
    "referent_add": ("GET", ("pk", "partnership_pk"), MANAGE),
    "referent_edit": ("GET", ("pk", "referent_pk"), REFERENT_CARD),
    "referent_end": ("GET+POST", ("pk", "referent_pk"), MANAGE, {"ended_on": "2030-01-31"}),
    "house_staff": ("GET", ("pk",), SEES_STAFF),
    # The convention (issue 11, parts 5–6): its dates for the staff and the cells; its changes
    # for the house's managers; the filled document for the staff only (annex 2: every referent's
    # contact). A partner referent is told by email of what concerns it, and sees no page here.
    "convention_detail": ("GET", ("pk",), SEES_STAFF),
    "convention_edit": ("GET", ("pk",), MANAGE),
    "convention_document": ("GET", ("pk", "doc_format"), STAFF),
    "signatory_add": ("GET", ("pk",), MANAGE),
    "signatory_edit": ("GET", ("pk", "signatory_pk"), MANAGE),
    "signatory_withdraw": ("GET", ("pk", "signatory_pk"), MANAGE),
    "convention_denounce": ("GET", ("pk",), MANAGE),
    "adhesion_add": ("GET", ("pk",), MANAGE),
    "adhesion_examine": ("GET", ("pk", "adhesion_pk"), MANAGE),
    "adhesion_sign": ("GET", ("pk", "adhesion_pk"), MANAGE),
    "service_withdraw": ("GET", ("pk",), MANAGE),
    "terms_edit": ("GET", ("pk", "year", "signatory_pk"), MANAGE),
    "member_add": ("POST", ("pk",), MANAGE),
    "member_end": ("GET+POST", ("pk", "membership_pk"), MANAGE, {"ended_on": "2030-01-31"}),
    "training_add": ("POST", ("pk",), MANAGE),
    "training_delete": ("GET+POST", ("pk", "training_pk"), MANAGE),
    "training_attestation": ("GET", ("pk", "training_pk"), SEES_STAFF),
    "desk_entry": ("GET", (), STAFF_ANYWHERE),
    "desk_procedures": ("GET", (), STAFF_ANYWHERE),
    "desk_day": ("GET", (), STAFF_ANYWHERE),
    "desk_request_edit": ("GET", {"pk": "request_pk"}, AUTHOR),
    "desk_request_delete": ("GET+POST", {"pk": "request_pk"}, AUTHOR),
    "desk_board": ("GET", ("pk",), VIEW),
    "desk_procedure_admin": ("GET", (), NATIONAL_CELL),
    "import_upload": ("GET", (), STAFF_ANYWHERE),
    "import_rejects": ("POST", (), STAFF_ANYWHERE),
    "import_template": ("GET", {"fmt": "import_fmt"}, ANY_USER),
    "registers_home": ("GET", ("house_pk",), STAFF),
    "register_list": ("GET", ("house_pk", "kind"), STAFF),
    "item_new": ("GET", ("house_pk", "kind"), STAFF),
    "item_detail": ("GET", ("register_item_pk",), STAFF),
    "item_action": ("POST", ("register_item_pk", "action"), STAFF),
    "attachment_download": ("GET", ("register_item_pk", "attachment_pk"), STAFF),
    "ack_letter": ("POST", ("register_item_pk",), STAFF),
    "answer_letter": ("POST", ("register_item_pk",), STAFF),
    "dossier_list": ("GET", ("house_pk",), COUNTER),
    "dossier_new": ("GET", ("house_pk",), COUNTER),
    "dossier_detail": ("GET", ("dossier_pk",), COUNTER),
    "dossier_edit": ("GET", ("dossier_pk",), COUNTER),
    "follow_up_add": ("GET", ("dossier_pk",), COUNTER),
    "document_add": ("GET", ("dossier_pk",), COUNTER),
    "document_download": ("GET", ("dossier_pk", "doc_pk"), COUNTER),
    "document_delete": ("GET+POST", ("dossier_pk", "doc_pk"), COUNTER),
    "dossier_export": ("GET", ("dossier_pk", "fmt"), COUNTER),
    "dossier_erase": ("GET", ("dossier_pk",), COUNTER),
    # Appointments hold the person's name and contact: the agents of the house who book them.
    "appointment_list": ("GET", ("house_pk",), COUNTER),
    "appointment_new": ("GET", ("house_pk",), COUNTER),
    "appointment_detail": ("GET", {"pk": "appointment_pk"}, COUNTER),
    "appointment_status": (
        "GET+POST",
        {"pk": "appointment_pk", "status": "appointment_status"},
        COUNTER,
    ),
    "appointment_sheet": ("GET", {"pk": "appointment_pk"}, COUNTER),
    "appointment_ics": ("GET", {"pk": "appointment_pk"}, COUNTER),
    "portal_home": ("GET", (), REFERENT_ONLY),
    "portal_offer": ("GET", (), REFERENT_ONLY),
    "portal_cards": ("GET", (), REFERENT_ONLY),
    "portal_figures": ("GET", (), REFERENT_ONLY),
    "portal_webhooks": ("GET+POST", (), REFERENT_ONLY),
    "portal_appointment": ("GET", {"pk": "appointment_pk"}, PARTNER_ITEM),
    "portal_appointment_answer": (
        "GET+POST",
        {"pk": "appointment_pk", "status": "appointment_status"},
        PARTNER_ITEM,
    ),
    "portal_transmission": ("GET", {"pk": "transmission_pk"}, PARTNER_TRANSMISSION),
    "portal_transmission_move": (
        "POST",
        {"pk": "transmission_pk", "move": "transmission_move"},
        PARTNER_TRANSMISSION,
    ),
    "portal_webhook": ("GET+POST", {"pk": "endpoint_pk"}, PARTNER_ENDPOINT),
    "portal_webhook_action": (
        "POST",
        {"pk": "endpoint_pk", "action": "webhook_action"},
        PARTNER_ENDPOINT,
    ),
    "portal_delivery_replay": (
        "POST",
        {"pk": "endpoint_pk", "delivery_pk": "delivery_pk"},
        PARTNER_ENDPOINT,
    ),
    "link_open": (
        "GET",
        {"kind": "link_kind", "pk": "appointment_pk", "token": "token"},
        SIGNED_LINK,
    ),
    "link_answer": (
        "GET",
        {
            "kind": "link_kind",
            "pk": "appointment_pk",
            "token": "token",
            "status": "appointment_status",
        },
        SIGNED_LINK,
    ),
    "transmission_list": ("GET", ("house_pk",), COUNTER),
    "transmission_new": ("GET", ("house_pk",), COUNTER),
    "transmission_figures": ("GET", ("house_pk",), SEES_STAFF),
    "transmission_detail": ("GET", {"pk": "transmission_pk"}, TRANSMISSION),
    "transmission_answer": ("POST", {"pk": "transmission_pk"}, TRANSMISSION_HOUSE),
    "transmission_attachment": (
        "GET",
        {"pk": "transmission_pk", "attachment_pk": "transmission_attachment_pk"},
        TRANSMISSION,
    ),
    "appointment_feeds": ("GET+POST", ("house_pk",), COUNTER),
    # Counts and rates, no person: whoever sees the house (a referent, its own partner's only).
    "appointment_indicators": ("GET", ("house_pk",), VIEW),
    "appointment_network_indicators": (
        "GET",
        (),
        access(
            ok=("prefecture", "national", "admin"),
            forbidden=(
                "agent",
                "responsable",
                "other_agent",
                "gestionnaire",
                "referent_caf",
                "referent_msa",
                "norole",
            ),
            hidden=(),
        ),
    ),
    # The satisfaction survey (commitment 15). Its public form opens for anyone holding a valid
    # code (tests/surveys: any other code is refused); the results are for the house's staff and
    # the overseers, the counter's codes for its staff, moderation and publication for managers.
    "survey_entry": ("GET", (), EVERYONE),
    "survey_thanks": ("GET", (), EVERYONE),
    "survey_form": ("GET", {"code": "survey_code"}, EVERYONE),
    "survey_home": ("GET", ("house_pk",), SEES_STAFF),
    "survey_open": ("GET", ("house_pk",), MANAGE),
    "survey_poster": ("GET", ("house_pk",), STAFF),
    "survey_counter": ("GET", {"pk": "campaign_pk"}, STAFF),
    "survey_tickets": ("POST", {"pk": "campaign_pk"}, STAFF),
    "survey_results": ("GET", {"pk": "campaign_pk"}, SEES_STAFF),
    "survey_comments": ("GET", {"pk": "campaign_pk"}, MANAGE),
    "survey_moderate": ("POST", {"pk": "answer_pk", "decision": "decision"}, MANAGE),
    "survey_publish": ("GET+POST", {"pk": "campaign_pk"}, MANAGE),
    "survey_plan": ("GET", {"pk": "campaign_pk"}, SEES_STAFF),
    "survey_action": ("GET", {"pk": "survey_action_pk"}, MANAGE),
    # The quality charter: the house's staff, its gestionnaire and the cells; evidence is the
    # responsable's and the gestionnaire's to record and remove. A referent never sees it.
    "charter_house": ("GET", ("house_pk",), SEES_STAFF),
    "charter_house_pdf": ("GET", ("house_pk",), SEES_STAFF),
    "charter_evidence_add": ("POST", ("house_pk",), MANAGE),
    "charter_evidence_file": ("GET", {"pk": "charter_evidence_pk"}, SEES_STAFF),
    "charter_evidence_remove": ("POST", {"pk": "charter_evidence_pk"}, MANAGE),
    # Every house of the user's charter scope (another house's agent sees their own).
    "charter_table": (
        "GET",
        (),
        access(
            ok=(
                "agent",
                "responsable",
                "other_agent",
                "gestionnaire",
                "prefecture",
                "national",
                "admin",
            ),
            forbidden=("referent_caf", "referent_msa", "norole"),
            hidden=(),
        ),
    ),
    # The steering committee (art. 6): the signatories (the gestionnaire, the house's partners),
    # the prefect's representative and the departmental cell sit in it, so whoever sees the
    # house reads it (a referent where its organisation is a partner); the gestionnaire and the
    # responsables keep it; for an agent of another house, or another partner, it does not exist.
    "committee_list": ("GET", ("house_pk",), VIEW),
    "committee_new": ("GET", ("house_pk",), MANAGE),
    "committee_meeting": ("GET", {"pk": "meeting_pk"}, VIEW),
    "committee_edit": ("GET", {"pk": "meeting_pk"}, MANAGE),
    "committee_minutes": ("GET", {"pk": "meeting_pk"}, MANAGE),
    "committee_minutes_file": ("GET", {"pk": "meeting_pk"}, VIEW),
    "committee_presence": ("GET", {"pk": "meeting_pk"}, MANAGE),
    "committee_member_add": ("POST", {"pk": "meeting_pk"}, MANAGE),
    "committee_axis_add": ("POST", {"pk": "meeting_pk"}, MANAGE),
    "committee_status": ("POST", {"pk": "meeting_pk"}, MANAGE),
    "committee_invite": ("GET+POST", {"pk": "meeting_pk"}, MANAGE),
    "committee_ics": ("GET", {"pk": "meeting_pk"}, VIEW),
    "committee_axis_status": ("POST", {"pk": "axis_pk"}, MANAGE),
    # The départements' overview and annual review: the departmental and national cells.
    "committee_overview": ("GET", (), OVERSEERS),
    "committee_review": ("GET", (), OVERSEERS),
    # A private calendar feed: its secret token is the key, no login (tests/appointments/test_feeds).
    "appointment_feed": ("GET", {"token": "feed_token"}, access(ok=ROLES, hidden=())),
}
# The portal's items, walked as the referent of another partner of the same house: none exists
# for it (a partner never sees another partner's items, nor learns that they exist).
OTHER_PARTNER_HIDDEN = [
    "portal_transmission",
    "portal_transmission_move",
    "portal_appointment",
    "portal_appointment_answer",
    "portal_webhook",
    "portal_webhook_action",
    "portal_delivery_replay",
]
# Not application screens: the login flow, the language switch, the health check, the API (its
# own permission tests live in tests/api) and Django's admin (tested in tests/core/test_login.py).
OUT_OF_MATRIX = {"login", "logout", "set_language", "healthz"}


def _names(patterns, ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, p.namespace or ns)
        elif isinstance(p, URLPattern) and p.name and ns is None:
            yield p.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns)) - OUT_OF_MATRIX
    assert names - set(MATRIX) == set(), "URLs missing from the permission matrix"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, name):
    method, kwarg_names, expected, *query = MATRIX[name]
    query = query[0] if query else {}
    ids = objects(world)
    # A tuple names keywords that are also object keys; a dict maps URL keyword -> object key.
    kwarg_map = kwarg_names if isinstance(kwarg_names, dict) else {k: k for k in kwarg_names}
    url = reverse(name, kwargs={k: ids[v] for k, v in kwarg_map.items()})
    users = vars(world.users)
    failures = []
    # Refusals first: a refused POST must change nothing for the roles that follow.
    for role in sorted(ROLES, key=lambda r: expected[r] == "ok"):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        for verb in method.split("+"):
            if verb == "POST" and expected[role] == "ok":
                continue  # the action itself is tested with its screen; here only who is refused
            response = client.get(url, query) if verb == "GET" else client.post(url, {})
            want = expected[role]
            got = response.status_code
            if want == "ok":
                good = got == 200
            elif want == 302:
                good = got == 302 and "/connexion/" in response["Location"]
            else:
                good = got == want
            if not good:
                failures.append(f"{role} {verb}: expected {want}, got {got}")
    assert not failures, f"{name} {url}: " + "; ".join(failures)


@pytest.mark.parametrize("name", OTHER_PARTNER_HIDDEN)
def test_a_referent_of_another_partner_of_the_same_house_gets_404(client, world, name):
    method, kwarg_names, _expected, *_query = MATRIX[name]
    ids = objects(world)
    url = reverse(name, kwargs={k: ids[v] for k, v in kwarg_names.items()})
    user = f.UserFactory(email="referent.ft@test.fr")
    f.MembershipFactory(user=user, role="referent", partner=world.ft.partner)
    client.force_login(user)
    for verb in method.split("+"):
        response = client.get(url) if verb == "GET" else client.post(url, {"version": 1})
        assert response.status_code == 404, (name, verb, response.status_code)
