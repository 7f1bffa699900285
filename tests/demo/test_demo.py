"""`msap demo`: the demo network, its accounts, idempotence and reset.

The network is built once for the module (about a second); each test runs in its own
transaction on top of it and is rolled back, so tests that run the command again or reset
the demo leave the shared network untouched.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.demo.data import ACCOUNTS, ADMIN_EMAIL, DEMO_PASSWORD, FIRST_HOUSE, HOUSE_SLUGS
from msap.demo.management.commands.demo import purge
from msap.network import rules
from msap.network.models import Closure, HoursChange, House, Organisation
from msap.network.queries import current_ranges, house_flags, visible_houses
from msap.partners.models import Partner, Partnership, Referent
from msap.people.models import Membership, Role, Training, User
from msap.portal.queries import inbox, to_confirm
from tests import factories as f

# Every model of the network app (a new one is counted too), then the other apps' demo rows.
MODELS = [
    *apps.get_app_config("network").get_models(),
    Partner,
    Partnership,
    Referent,
    Membership,
    Training,
    User,
    JournalEntry,
]


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """Build the demo once for the module; roll it back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_network, db):
    return demo_network


def run_demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot() -> list:
    """What the network is made of, without database ids."""
    rows = []
    for house in House.objects.filter(slug__in=HOUSE_SLUGS).order_by("slug"):
        rows.append(
            (
                house.slug,
                house.name,
                house.commune_id,
                house.phone,
                house.status,
                house.recognised_on,
            )
        )
        rows.append(sorted(map(tuple, (r.as_json() for r in current_ranges(house)))))
        for p in house.partnerships.order_by("partner__code"):
            rows.append(
                (p.partner.code, p.joined_on, sorted(p.services.values_list("code", flat=True)))
            )
            rows.append(
                sorted(
                    p.referents.values_list(
                        "first_name", "last_name", "phone", "email", "started_on", "ended_on"
                    )
                )
            )
        rows.append(sorted(house.memberships.values_list("user__email", "role", "started_on")))
        rows.append(
            sorted(house.trainings.values_list("user__email", "title", "started_on", "ended_on"))
        )
    return rows


# --- the network -------------------------------------------------------------------------------


def test_demo_builds_at_least_three_departements_and_twelve_houses(demo):
    houses = House.objects.filter(slug__in=HOUSE_SLUGS)
    assert houses.count() >= 12
    assert houses.values("commune__departement").distinct().count() >= 3
    assert "Réseau de démonstration créé." in demo


def test_demo_has_a_mobile_house_with_stops_in_three_communes_on_three_days(demo):
    mobile = House.objects.get(kind="mobile")
    stops = list(mobile.stops.all())
    assert len({s.commune_id for s in stops}) >= 3
    assert len({s.weekday for s in stops}) >= 3


def test_demo_has_an_overseas_house_in_the_reunion_time_zone(demo):
    overseas = House.objects.filter(commune__departement__code="974")
    assert overseas.exists()
    assert {h.timezone for h in overseas} == {"Indian/Reunion"}


def test_every_demo_house_schedule_meets_article_3_2(demo):
    for house in House.objects.filter(slug__in=HOUSE_SLUGS):
        check = rules.check_schedule(current_ranges(house))
        assert check.ok, (house.slug, check.errors)


def test_every_house_has_partners_with_their_offer_and_a_staff_led_by_one_responsable(demo):
    for house in House.objects.filter(slug__in=HOUSE_SLUGS):
        active = house.partnerships.active()
        assert 4 <= active.filter(partner__kind="national").count() <= 7, house.slug
        assert 1 <= active.filter(partner__kind="local").count() <= 2, house.slug
        assert all(p.services.exists() for p in active), house.slug
        staff = Membership.objects.current().filter(house=house)
        assert 2 <= staff.count() <= 4, house.slug
        assert staff.filter(role=Role.RESPONSABLE).count() == 1, house.slug
    assert Training.objects.filter(kind="initial", partner__isnull=False).exists()
    assert Training.objects.filter(kind="continuous").exists()
    assert Training.objects.filter(kind="immersion").exists()


def test_demo_shows_what_needs_attention_a_missing_referent_and_a_missing_confidential_space(demo):
    flags = {h.slug: house_flags(h) for h in House.objects.filter(slug__in=HOUSE_SLUGS)}
    flagged = [text for texts in flags.values() for text in texts]
    assert any("n'a pas de référent en poste" in text for text in flagged)
    assert any("un espace confidentiel" in text for text in flagged)
    assert not flags[FIRST_HOUSE]


def test_demo_keeps_a_referent_history_an_hours_change_closures_and_a_house_in_project(demo):
    replaced = Referent.objects.get(ended_on__isnull=False)
    assert replaced.partnership.referents.filter(ended_on__isnull=True).exists()
    assert HoursChange.objects.filter(substantial=True).count() == 1
    assert Closure.objects.filter(reason__icontains="Noël").exists()
    assert House.objects.filter(slug__in=HOUSE_SLUGS, status="project").count() == 1


def test_no_referent_line_is_a_house_number_and_no_two_houses_share_one(demo):
    # Annex 2: a referent's direct line is never given to the public; the directory shows the
    # house's number, which must not be someone's line, nor another house's.
    house_phones = list(House.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(house_phones) == len(set(house_phones)) >= 12
    referent_phones = set(Referent.objects.exclude(phone="").values_list("phone", flat=True))
    assert referent_phones
    assert not referent_phones & set(house_phones)


def test_demo_goes_through_the_services_so_the_journal_is_filled(demo):
    admin = User.objects.get(email=ADMIN_EMAIL)
    created = JournalEntry.objects.filter(action="house.created")
    assert created.count() == len(HOUSE_SLUGS)
    assert set(created.values_list("actor", flat=True)) == {admin.pk}
    assert JournalEntry.objects.filter(action="referent.added").count() == Referent.objects.count()


# --- accounts --------------------------------------------------------------------------------


def test_the_demo_accounts_have_their_roles_and_the_admin_is_a_demo_superuser(demo):
    tulle = House.objects.get(slug=FIRST_HOUSE)
    for account in ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.is_demo
        assert Membership.objects.current().filter(user=user, role=account.role).exists(), (
            account.email
        )
    assert visible_houses(User.objects.get(email="agent@demo.msap.fr")).get() == tulle
    managed = visible_houses(User.objects.get(email="gestionnaire@demo.msap.fr"))
    assert tulle in managed and 3 <= managed.count() <= 4
    prefecture = visible_houses(User.objects.get(email="prefecture@demo.msap.fr"))
    assert {h.commune.departement_id for h in prefecture} == {tulle.commune.departement_id}
    referent = Membership.objects.get(user__email="referent.caf@demo.msap.fr")
    assert referent.partner.code == "caf"
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser and admin.is_demo


def test_each_demo_referent_account_has_its_card_and_appointments_to_confirm(demo, client):
    """Issue 9, item 10: a referent account per demo partner, with things to answer today."""
    for email, code in (
        ("referent.caf@demo.msap.fr", "caf"),
        ("referent.francetravail@demo.msap.fr", "france-travail"),
    ):
        user = User.objects.get(email=email)
        assert Membership.objects.current().get(user=user).partner.code == code
        card = Referent.objects.get(user=user, ended_on__isnull=True)
        assert card.partnership.house.slug == FIRST_HOUSE
        assert card.partnership.partner.code == code
        assert list(to_confirm(user, timezone.now())), email
        assert any(t.is_open for t in inbox(user, timezone.now())), email


@override_settings(DEMO_MODE=True)
def test_demo_accounts_log_in_with_the_demo_password_in_demo_mode(demo, client):
    for email in [a.email for a in ACCOUNTS] + [ADMIN_EMAIL]:
        assert client.login(username=email, password=DEMO_PASSWORD), email
        client.logout()


@override_settings(DEMO_MODE=False)
def test_demo_accounts_cannot_log_in_outside_demo_mode(demo, client):
    for email in [a.email for a in ACCOUNTS] + [ADMIN_EMAIL]:
        assert not client.login(username=email, password=DEMO_PASSWORD), email


def test_the_output_lists_the_accounts_the_password_and_the_site_url(demo, settings):
    for account in ACCOUNTS:
        assert account.email in demo
    assert ADMIN_EMAIL in demo
    assert DEMO_PASSWORD in demo
    assert settings.SITE_URL in demo
    assert "partenariats" in demo and "référents en poste" in demo


# --- idempotence and reset -------------------------------------------------------------------


def test_a_second_run_creates_nothing_and_says_the_demo_is_present(demo):
    before = counts()
    output = run_demo()
    assert counts() == before
    assert "Réseau de démonstration déjà présent" in output
    assert "agent@demo.msap.fr" in output


@override_settings(DEMO_MODE=True)
def test_a_second_run_restores_a_changed_demo_password_and_flag(demo, client):
    user = User.objects.get(email="agent@demo.msap.fr")
    user.set_password("autre-mot-de-passe")
    user.is_demo = False
    user.save(update_fields=["password", "is_demo"])
    run_demo()
    user.refresh_from_db()
    assert user.is_demo
    assert client.login(username="agent@demo.msap.fr", password=DEMO_PASSWORD)


def test_reset_rebuilds_the_same_network(demo):
    before_counts, before = counts(), snapshot()
    old_ids = set(House.objects.filter(slug__in=HOUSE_SLUGS).values_list("pk", flat=True))
    output = run_demo("--reset")
    assert "Réseau de démonstration supprimé." in output
    assert snapshot() == before  # deterministic: the same network again
    after = counts()
    assert after.pop("JournalEntry") > before_counts.pop(
        "JournalEntry"
    )  # the journal keeps its history
    assert after == before_counts
    assert not old_ids & set(
        House.objects.filter(slug__in=HOUSE_SLUGS).values_list("pk", flat=True)
    )


def test_reset_is_refused_and_deletes_nothing_when_a_real_person_works_in_a_demo_house(demo):
    tulle = House.objects.get(slug=FIRST_HOUSE)
    f.MembershipFactory(
        user=f.UserFactory(email="vraie.personne@exemple.fr"), house=tulle, role=Role.AGENT
    )
    before = counts()
    with pytest.raises(CommandError, match="Réinitialisation refusée"):
        run_demo("--reset")
    assert counts() == before


def test_reset_deletes_the_activity_recorded_in_demo_houses(demo):
    # Trainings protect their house: they are activity of the demo house and go with it.
    tulle = House.objects.get(slug=FIRST_HOUSE)
    agent = User.objects.get(email="agent@demo.msap.fr")
    f.TrainingFactory(user=agent, house=tulle, title="Formation ajoutée pendant la démonstration")
    run_demo("--reset")
    assert not Training.objects.filter(title="Formation ajoutée pendant la démonstration").exists()


def test_reset_keeps_a_local_partner_still_used_outside_the_demo(demo):
    real_house = f.HouseFactory(slug="maison-reelle")
    local = Partner.objects.get(short_name="CCAS de Tulle")
    f.PartnershipFactory(house=real_house, partner=local)
    run_demo("--reset")
    assert Partner.objects.filter(short_name="CCAS de Tulle").get() == local
    assert House.objects.get(slug=FIRST_HOUSE).partnerships.filter(partner=local).exists()


def test_reset_is_refused_when_a_record_outside_the_demo_protects_what_it_deletes(demo):
    gip = House.objects.get(slug=FIRST_HOUSE).organisation
    real_house = f.HouseFactory(slug="maison-reelle", organisation=gip)
    demo_ids = set(House.objects.filter(slug__in=HOUSE_SLUGS).values_list("pk", flat=True))
    with pytest.raises(CommandError, match="hors du réseau de démonstration"):
        purge(Organisation.objects.filter(pk=gip.pk), demo_ids)
    assert House.objects.filter(pk=real_house.pk).exists()
    assert Organisation.objects.filter(pk=gip.pk).exists()
