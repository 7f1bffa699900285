"""Every page template at 320, 768 and 1280 px (RGAA 10.11 / WCAG 1.4.10, reflow): whatever the
width, each role reaches its menu, the sign-out button and the language switch, the page does not
scroll sideways, the house's tabs keep their labels whole and no chart label falls off its chart;
axe-core finds no serious or critical violation.

A page template that extends the layout and is missing from PAGES fails the coverage test: a new
screen is walked here from its first day.
"""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from msap.appointments import queries as appointment_queries
from msap.appointments import services as appointment_services
from msap.committees import services as committee_services
from msap.conventions import services as convention_services
from msap.network import services as network
from msap.people.models import Role
from msap.portal import links
from msap.portal.models import PartnerLink
from msap.surveys import rules as survey_rules
from msap.surveys import services as survey_services
from msap.transmissions import services as transmission_services
from msap.webhooks.models import Endpoint
from tests import factories as f
from tests.browser.conftest import LABEL_CHECKS_JS, assert_accessible, login

WIDTHS = (320, 768, 1280)
DESKTOP = 992  # the DSFR header shows its tools and menu inline from this width on
# Templates that extend the layout but are not pages of their own: the frames.
FRAMES = {"msap/breadcrumb_base.html", "msap/house_base.html", "portal/base.html"}
TEMPLATES = Path(__file__).resolve().parents[2] / "msap"


def page_templates() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*/templates/**/*.html"):
        head = path.read_text(encoding="utf-8")[:400]
        if re.search(
            r'{% extends "(msap/base|msap/breadcrumb_base|msap/house_base|portal/base)\.html" %}',
            head,
        ):
            found.add(path.as_posix().split("/templates/", 1)[1])
    return found - FRAMES


# template: (role, URL) — role None: signed out; "upload": the answer to an import upload.
PAGES = {
    "registration/login.html": (None, "/connexion/"),
    # The public site (issue 10), signed out.
    "public/home.html": (None, "/"),
    "public/search.html": (None, "/trouver/?q=tulle"),
    "public/house.html": (None, "/maison/{house_slug}/"),
    "public/write.html": (None, "/maison/{house_slug}/ecrire/reclamation/"),
    "public/ack.html": (None, "/maison/{house_slug}/recu/{ack}/"),
    "public/accessibility.html": (None, "/accessibilite/"),
    "public/legal.html": (None, "/mentions-legales/"),
    "public/privacy.html": (None, "/donnees-personnelles/"),
    "public/plan.html": (None, "/plan-du-site/"),
    "msap/confirm.html": ("responsable", "/maisons/{house}/fermetures/{closure}/supprimer/"),
    "msap/home.html": ("agent", "/"),
    "msap/error.html": ("agent", "/maisons/999999/"),
    "network/house_list.html": ("agent", "/maisons/"),
    "network/house_detail.html": ("responsable", "/maisons/{house}/"),
    "network/house_edit.html": ("responsable", "/maisons/{house}/modifier/"),
    "network/house_hours.html": ("responsable", "/maisons/{house}/horaires/"),
    "network/house_closures.html": ("responsable", "/maisons/{house}/fermetures/"),
    "network/house_premises.html": ("responsable", "/maisons/{house}/locaux/"),
    "network/house_stops.html": ("gestionnaire", "/maisons/{mobile}/etapes/"),
    "network/house_history.html": ("responsable", "/maisons/{house}/historique/"),
    "partners/house_partners.html": ("responsable", "/maisons/{house}/partenaires/"),
    "partners/partnership_add.html": ("responsable", "/maisons/{house}/partenaires/ajouter/"),
    "partners/partnership_detail.html": (
        "referent",
        "/maisons/{house}/partenaires/{caf}/",
    ),
    "partners/referent_form.html": (
        "responsable",
        "/maisons/{house}/referents/{referent}/modifier/",
    ),
    "people/house_staff.html": ("responsable", "/maisons/{house}/equipe/"),
    "desk/entry.html": ("agent", "/saisie/"),
    "desk/day.html": ("agent", "/activite/jour/"),
    "desk/request_edit.html": ("agent", "/demandes/{request}/modifier/"),
    "desk/board.html": ("prefecture", "/maisons/{house}/activite/"),
    "desk/procedure_admin.html": ("national", "/demarches/"),
    "desk/import_upload.html": ("responsable", "/imports/"),
    "desk/import_report.html": ("responsable", "upload"),
    "dossiers/dossier_list.html": ("agent", "/dossiers/maison/{house}/"),
    "dossiers/dossier_new.html": ("agent", "/dossiers/maison/{house}/nouveau/"),
    "dossiers/dossier_detail.html": ("agent", "/dossiers/{dossier}/"),
    "dossiers/dossier_edit.html": ("agent", "/dossiers/{dossier}/modifier/"),
    "dossiers/follow_up_add.html": ("agent", "/dossiers/{dossier}/suivis/ajouter/"),
    "dossiers/document_add.html": ("agent", "/dossiers/{dossier}/documents/ajouter/"),
    "dossiers/dossier_erase.html": ("agent", "/dossiers/{dossier}/effacer/"),
    "registers/home.html": ("agent", "/registres/maison/{house}/"),
    "registers/list.html": ("agent", "/registres/maison/{house}/courrier-arrive/"),
    "registers/item_form.html": ("agent", "/registres/maison/{house}/courrier-arrive/nouveau/"),
    "registers/item_detail.html": ("agent", "/registres/elements/{item}/"),
    "appointments/list.html": ("agent", "/rendez-vous/maison/{house}/?period=week"),
    "appointments/choose_type.html": ("agent", "/rendez-vous/maison/{house}/nouveau/"),
    "appointments/new.html": ("agent", "/rendez-vous/maison/{house}/nouveau/?type={kind}"),
    "appointments/detail.html": ("agent", "/rendez-vous/{appointment}/"),
    "appointments/revoke.html": ("agent", "/rendez-vous/{appointment}/statut/revoked/"),
    "appointments/feeds.html": ("responsable", "/rendez-vous/maison/{house}/agendas/"),
    "appointments/indicators.html": ("responsable", "/rendez-vous/maison/{house}/indicateurs/"),
    "appointments/network_indicators.html": ("prefecture", "/rendez-vous/indicateurs/"),
    "portal/home.html": ("referent", "/partenaire/"),
    "portal/appointment.html": ("referent", "/partenaire/rendez-vous/{appointment}/"),
    "portal/revoke.html": ("referent", "/partenaire/rendez-vous/{appointment}/reponse/revoked/"),
    "portal/offer.html": ("referent", "/partenaire/offre/"),
    "portal/transmission.html": ("referent", "/partenaire/saisines/{transmission}/"),
    "portal/cards.html": ("referent", "/partenaire/fiches/"),
    "portal/figures.html": ("referent", "/partenaire/chiffres/"),
    "portal/webhooks.html": ("referent", "/partenaire/webhooks/"),
    "portal/webhook.html": ("referent", "/partenaire/webhooks/{endpoint}/"),
    "portal/link.html": (None, "/lien/rendez-vous/{appointment}/{token}/"),
    "portal/link_refused.html": (None, "/lien/rendez-vous/{appointment}/altere/"),
    "portal/link_transmission.html": (None, "/lien/saisine/{transmission}/{transmission_token}/"),
    "transmissions/list.html": ("agent", "/saisines/maison/{house}/"),
    "transmissions/new.html": ("agent", "/saisines/maison/{house}/nouvelle/"),
    "transmissions/detail.html": ("agent", "/saisines/{transmission}/"),
    "transmissions/figures.html": ("prefecture", "/saisines/maison/{house}/indicateurs/"),
    # The satisfaction survey (issue 11, commitment 15): the public form, the house's screens.
    "surveys/entry.html": (None, "/e/"),
    "surveys/form.html": (None, "/e/{survey_code}/"),
    "surveys/refused.html": (None, "/e/ZZZZ-ZZZZ/"),
    "surveys/thanks.html": (None, "/e/merci/"),
    "surveys/home.html": ("responsable", "/enquetes/maison/{house}/"),
    "surveys/open.html": ("responsable", "/enquetes/maison/{house}/ouvrir/"),
    "surveys/counter.html": ("agent", "/enquetes/{campaign}/guichet/"),
    "surveys/results.html": ("responsable", "/enquetes/{campaign}/resultats/"),
    "surveys/comments.html": ("responsable", "/enquetes/{campaign}/commentaires/"),
    "surveys/plan.html": ("responsable", "/enquetes/{campaign}/plan/"),
    "surveys/action.html": ("responsable", "/enquetes/actions/{survey_action}/"),
    # The quality charter, the convention and the steering committee (issue 11).
    "charter/house.html": ("responsable", "/charte/maisons/{house}/"),
    "charter/table.html": ("prefecture", "/charte/"),
    "conventions/convention_detail.html": ("responsable", "/conventions/{house}/"),
    "conventions/form.html": ("responsable", "/conventions/{house}/modifier/"),
    "committees/list.html": ("responsable", "/comites/maison/{house}/"),
    "committees/meeting_form.html": ("responsable", "/comites/maison/{house}/nouvelle/"),
    "committees/meeting.html": ("responsable", "/comites/{meeting}/"),
    "committees/minutes_form.html": ("responsable", "/comites/{meeting}/compte-rendu/"),
    "committees/presence_form.html": ("responsable", "/comites/{meeting}/presence/"),
    "committees/overview.html": ("prefecture", "/comites/"),
    "committees/review_form.html": ("prefecture", "/comites/bilan-annuel/"),
}


@pytest.fixture
def network_world(transactional_db):
    return build_network_world()


def build_network_world():
    """A house with something on every screen, a mobile house, and one account per role (also
    walked without a browser by tests/site/test_languages.py)."""
    house = f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    mobile = f.HouseFactory(
        name="France Services itinérante de Corrèze",
        kind="mobile",
        commune=f.commune("19031"),
        organisation=house.organisation,
    )
    caf = f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
    referent = f.ReferentFactory(partnership=caf, first_name="Claire", last_name="Dumont")

    def member(email, role, **scope):
        user = f.UserFactory(email=email)
        f.MembershipFactory(user=user, role=role, **scope)
        return user

    users = {
        "agent": member("agent@test.fr", Role.AGENT, house=house),
        "responsable": member("responsable@test.fr", Role.RESPONSABLE, house=house),
        "gestionnaire": member(
            "gestionnaire@test.fr", Role.GESTIONNAIRE, organisation=house.organisation
        ),
        "referent": member("referent@test.fr", Role.REFERENT, partner=caf.partner),
        "prefecture": member(
            "prefecture@test.fr", Role.DEPARTEMENT, departement=house.commune.departement
        ),
        "national": member("national@test.fr", Role.NATIONAL),
    }
    agent = users["agent"]
    f.TrainingFactory(user=agent, house=house)
    request = f.ServiceRequestFactory(house=house, agent=agent, partner=caf.partner)
    item = f.RegisterItemFactory(house=house, created_by=agent, sender_name="Jeanne Martin")
    dossier = f.DossierFactory(
        house=house,
        consent_by=agent,
        consent_purpose="Suivi de la demande de retraite",
        first_name="Jeanne",
        last_name="Martin",
        birth_year=None,
        phone="",
        email="",
        postal_address="",
    )
    today = timezone.localdate()
    closure = network.add_closure(
        users["responsable"],
        house,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=21),
        reason="Formation de l'équipe",
    )
    kind = f.AppointmentTypeFactory(partnership=caf, location_type="phone")
    adviser = f.AdviserFactory(partnership=caf, first_name="Sophie", last_name="Martin")
    for weekday in range(7):
        f.SlotRuleFactory(adviser=adviser, appointment_type=kind, weekday=weekday)
    slot = appointment_queries.free_slots(kind, now=timezone.now())[0]
    appointment = appointment_services.book(
        agent,
        house,
        appointment_type=kind,
        adviser=adviser,
        start=slot.start,
        person_name="Jeanne Martin",
        person_phone="06 12 34 56 78",
    )
    link = PartnerLink.objects.create(
        kind="appointment",
        appointment=appointment,
        referent=referent,
        email="claire.dumont@caf.exemple.fr",
        expires_at=appointment.start,
    )
    endpoint = Endpoint.objects.create(
        partner=caf.partner,
        url="https://93.184.216.34/msap",
        event_types=["appointment.requested", "appointment.confirmed"],
    )
    transmission, _created = transmission_services.send(
        agent,
        house,
        partnership=caf,
        subject="Droits au RSA après une séparation",
        question="Quels droits, quelles pièces ?",
        request=request,
    )
    transmission = transmission_services.request_information(
        users["referent"], transmission, "L'avis d'imposition 2025, s'il vous plaît."
    )
    _complaint, ack = f.public_complaint(house)
    campaign = f.survey_campaign(house)
    for mark in (9, 7, 4):
        f.survey_answer(
            campaign, overall=mark, comment="Accueil très agréable." if mark == 9 else ""
        )
    survey_action = survey_services.add_action(
        users["responsable"],
        campaign,
        title="Afficher les horaires à l'entrée",
        owner="Responsable de la maison",
        due_on=today + timedelta(days=60),
    )
    (survey_token,) = survey_services.issue_tokens(agent, campaign, 1)
    convention_services.sign_convention(
        users["responsable"],
        house,
        signed_on=today - timedelta(days=400),
        signed_at="Tulle",
        signer_name="Sophie Martin",
        signer_title="Présidente de Tulle Agglo",
        service_notice_months=3,
    )
    meeting, _created = committee_services.plan_meeting(
        users["responsable"],
        house,
        day=today - timedelta(days=10),
        at=time(14),
        place="Salle du conseil",
        agenda=["Bilan de l'année", "Plan d'amélioration"],
    )
    ids = {
        "meeting": meeting.pk,
        "campaign": campaign.pk,
        "survey_action": survey_action.pk,
        "survey_code": survey_rules.format_code(survey_token.code),
        "house_slug": house.slug,
        "ack": ack,
        "transmission": transmission.pk,
        "token": links.token_for(link),
        "transmission_token": links.token_for(
            PartnerLink.objects.create(
                kind="transmission",
                transmission=transmission,
                referent=referent,
                email="claire.dumont@caf.exemple.fr",
                expires_at=timezone.now() + timedelta(days=30),
            )
        ),
        "endpoint": endpoint.pk,
        "kind": kind.pk,
        "appointment": appointment.pk,
        "house": house.pk,
        "mobile": mobile.pk,
        "caf": caf.pk,
        "referent": referent.pk,
        "request": request.pk,
        "item": item.pk,
        "dossier": dossier.pk,
        "closure": closure.pk,
    }
    pages = {template: (role, url.format(**ids)) for template, (role, url) in PAGES.items()}
    return {"house": house, "users": users, "pages": pages}


def open_tools(page, width: int):
    """The header's tools (account, sign out, language), wherever the width puts them."""
    if width >= DESKTOP:
        return page.locator(".fr-header__tools-links")
    page.locator("#bouton-menu-mobile").click()
    menu = page.locator("#menu-mobile")
    expect(menu).to_have_class(re.compile(r"fr-modal--opened"))
    return menu.locator(".fr-header__menu-links")


def close_tools(page, width: int) -> None:
    if width < DESKTOP:
        page.locator("#menu-mobile .fr-btn--close").click()
        expect(page.locator("#menu-mobile")).not_to_have_class(re.compile(r"fr-modal--opened"))


def check_layout(page, width: int, *, signed_in: bool, axe: bool, open_menu: bool = True) -> None:
    """`open_menu=False` on a page already proved at another width below the desktop one: the
    menu button must show and hold the tools, without opening it again."""
    if width < DESKTOP and not open_menu:
        expect(page.locator("#bouton-menu-mobile")).to_be_visible()
        tools = page.locator("#menu-mobile .fr-header__menu-links")
        name = "Se déconnecter" if signed_in else "Se connecter"
        assert tools.get_by_text(name).count() == 1
    else:
        tools = open_tools(page, width)
        if signed_in:
            expect(tools.get_by_role("button", name="Se déconnecter")).to_be_visible()
            expect(page.locator("#navigation").get_by_role("link", name="Accueil")).to_be_visible()
        else:
            expect(tools.get_by_role("link", name="Se connecter")).to_be_visible()
        expect(tools.get_by_role("button", name="English")).to_be_visible()
        close_tools(page, width)
    problems = page.evaluate(
        """() => {
          const out = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > window.innerWidth + 1) {
            // Name the widest culprits: the innermost elements that pass the right edge.
            const wide = [...document.body.querySelectorAll('*')].filter(e => {
              const r = e.getBoundingClientRect();
              return r.right > window.innerWidth + 1 && r.width > 0 &&
                ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1);
            }).slice(0, 4).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id}`);
            out.push(`the page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth}: ${wide}`);
          }
          const wraps = 3;
          """
        + LABEL_CHECKS_JS
        + """
          return out;
        }"""
    )
    if problems:  # a picture of the page for whoever reads the failure (git-ignored folder)
        shots = Path(__file__).resolve().parents[2] / "test-artifacts"
        shots.mkdir(exist_ok=True)
        name = re.sub(r"\W+", "-", page.url.split("//", 1)[-1])[:80]
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    assert not problems, f"{page.url} at {width} px: {problems}"
    if axe:
        assert_accessible(page)


def visit(page, url: str) -> None:
    if url == "upload":  # the import report is the answer to an upload
        page.goto("/imports/")
        page.set_input_files(
            "input[type=file]",
            files=[
                {
                    "name": "historique.csv",
                    "mimeType": "text/csv",
                    "buffer": b"date;categorie\n2026-01-05;Z9\n",
                }
            ],
        )
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
        page.wait_for_load_state()
    else:
        page.goto(url)


def test_every_page_template_is_walked():
    assert set(PAGES) == page_templates()


def sign_out_and_switch_language(page, width: int) -> None:
    """The language switch both ways, then signing out, from wherever the width puts them."""
    open_tools(page, width).get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_tools(page, width).get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    open_tools(page, width).get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")


def test_every_page_reflows_from_320_to_1280_px(page, network_world):
    """One walk, one set-up (browser tests are the slow part of the suite): every page template
    at each width with its role, then each role's own pages at each width, and each role signs
    out and switches language, at a width that changes from one role to the next."""
    by_role: dict = {role: [] for role in network_world["users"]}
    by_role[None] = []
    for role, url in network_world["pages"].values():
        by_role[role].append(url)
    house = network_world["house"].pk
    checked_by_axe = set()
    # The DSFR skips its transitions for people who ask for less motion: so does this walk.
    page.emulate_media(reduced_motion="reduce")
    for n, (role, urls) in enumerate(by_role.items()):
        page.context.clear_cookies()
        if role is not None:
            login(page, network_world["users"][role].email, f.PASSWORD)
            urls = [*dict.fromkeys(["/", "/maisons/", f"/maisons/{house}/", *urls])]
        for url in urls:
            # Loaded once at the narrowest width, then widened: the layout follows the window.
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            visit(page, url)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                # axe once per URL, at the narrowest width (where reflow breaks things).
                axe = width == WIDTHS[0] and url not in checked_by_axe
                check_layout(
                    page, width, signed_in=role is not None, axe=axe, open_menu=width != 768
                )
                checked_by_axe.add(url)
        if role is not None:
            width = WIDTHS[n % len(WIDTHS)]
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            sign_out_and_switch_language(page, width)


def test_a_refused_form_takes_the_focus_to_its_error_summary(page, network_world):
    """RGAA 11.10: a refused form says so in the title and the focus lands on the summary, not on
    the first field or the top of a long page (the hours' summary sat 2,800 px below)."""

    def refused(submit) -> None:
        submit()
        page.wait_for_load_state()
        assert page.title().startswith("Erreur"), page.title()
        focused = page.evaluate("document.activeElement.hasAttribute('data-msap-error-summary')")
        assert focused, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        assert_accessible(page)

    page.goto("/connexion/")
    refused(lambda: page.get_by_role("button", name="Se connecter").last.click())
    expect(page.locator("#id_username")).to_have_attribute("aria-invalid", "true")

    login(page, network_world["users"]["responsable"].email, f.PASSWORD)
    house = network_world["house"].pk
    page.goto(f"/maisons/{house}/modifier/")
    page.locator("#id_name").fill("")
    refused(lambda: page.get_by_role("button", name="Enregistrer").first.click())
    page.goto(f"/maisons/{house}/horaires/")
    page.locator("#id_d0_0_end").fill("08:00")
    refused(lambda: page.get_by_role("button", name="Enregistrer les horaires").click())
