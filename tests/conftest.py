"""Shared fixtures: one house with its agent and responsable (`one_house`), or a small network
with one named user per role (`world`, SPEC "Who uses it")."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from msap.desk.seed import seed_procedures
from msap.partners.seed import seed_reference_data
from msap.people.models import Role
from msap.territory.models import Commune, Departement, FormerCommune, Region
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test builds its own rows: the per-process reference cache must not outlive it."""
    from msap.desk import reference

    reference.clear()
    yield
    reference.clear()


@pytest.fixture(autouse=True)
def _fresh_offer_cache():
    """The free-slot search keeps the houses' offer a minute in the process: a test's rows are
    rolled back after it (and SQLite gives their ids again), so the cache must not outlive it."""
    from msap.appointments.queries import offer_cache

    offer_cache.forget()
    yield
    offer_cache.forget()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Django's cache (the public pages, the forms' rate limits) starts empty in each test: a
    test's rows are rolled back after it, and SQLite gives their ids again."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Like Django's mail.outbox, the SMS backend's memory starts empty in each test."""
    from msap.lib import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _french_after_each_test():
    """A page read in English leaves English active in the thread (LocaleMiddleware does not
    deactivate it): the next test starts in the default French again."""
    yield
    translation.deactivate()


def _member(email, role, **scope):
    user = f.UserFactory(email=email)
    f.MembershipFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def one_house(db):
    """One house in Corrèze with its agent and its responsable: the default for a test of one
    house's screens and services. The same house and users as `world`'s, without the rest."""
    house = f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    users = SimpleNamespace(
        agent=_member("agent@test.fr", Role.AGENT, house=house),
        responsable=_member("responsable@test.fr", Role.RESPONSABLE, house=house),
    )
    return SimpleNamespace(house=house, users=users)


@pytest.fixture
def world(one_house):
    """`one_house` in a small network: two houses of two gestionnaires in Corrèze, one in
    Creuse; a user per role. For isolation and every-role tests.

    - house: the users' house (CAF partner with a referent, France Travail partner);
    - other: another house of the same département, another gestionnaire;
    - far: a house in another département (23), where nobody below works.
    """
    house = one_house.house
    other = f.HouseFactory(name="France Services d'Ussel", commune=f.commune("19275"))
    far = f.HouseFactory(
        name="France Services de Guéret",
        commune=f.commune("23096"),
        organisation=f.OrganisationFactory(departement=Departement.objects.get(code="23")),
    )
    caf = f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
    ft = f.PartnershipFactory(house=house, partner=f.national_partner("france-travail"))
    caf_referent = f.ReferentFactory(
        partnership=caf,
        first_name="Claire",
        last_name="Dumont",
        phone="05 55 99 88 77",
        email="claire.dumont.privee@caf.exemple.fr",
    )
    ft_referent = f.ReferentFactory(
        partnership=ft,
        first_name="Marc",
        last_name="Lefèvre",
        phone="05 55 11 22 33",
        email="marc.lefevre.prive@ft.exemple.fr",
    )
    other_caf = f.PartnershipFactory(house=other, partner=f.national_partner("caf"))
    f.ReferentFactory(partnership=other_caf)

    users = SimpleNamespace(
        **vars(one_house.users),
        other_agent=_member("agent.ussel@test.fr", Role.AGENT, house=other),
        gestionnaire=_member(
            "gestionnaire@test.fr", Role.GESTIONNAIRE, organisation=house.organisation
        ),
        referent_caf=_member(
            "referent.caf@test.fr", Role.REFERENT, partner=f.national_partner("caf")
        ),
        referent_msa=_member(
            "referent.msa@test.fr", Role.REFERENT, partner=f.national_partner("msa")
        ),
        prefecture=_member(
            "prefecture@test.fr", Role.DEPARTEMENT, departement=Departement.objects.get(code="19")
        ),
        national=_member("national@test.fr", Role.NATIONAL),
        admin=f.UserFactory(email="admin@test.fr", is_staff=True, is_superuser=True),
        norole=f.UserFactory(email="sansrole@test.fr"),
    )
    return SimpleNamespace(
        house=house,
        other=other,
        far=far,
        caf=caf,
        ft=ft,
        other_caf=other_caf,
        caf_referent=caf_referent,
        ft_referent=ft_referent,
        users=users,
    )


def login(client, user):
    client.force_login(user)
    return client


def count_queries(client, url) -> int:
    """The queries of a GET once the per-process caches are warm: the steady cost of a page."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


# The geography as the migrations loaded it, read once before any transactional test empties
# the tables: reloading these rows does not depend on the loaders' historical schemas.
_GEOGRAPHY: list[tuple[type, list[dict]]] = []


def _geography_models():
    return [Region, Departement, Commune, FormerCommune]


def reload_reference_data() -> None:
    """A transactional test's database is emptied after each such test: reload the geography,
    the reference data and the procedures the migrations put there when an earlier one removed
    them. The geography's rows are copied from the database the first time it has them."""
    if not _GEOGRAPHY and Departement.objects.exists():
        for model in _geography_models():
            # Communes without a parent first: an arrondissement points at its commune.
            order = [F("parent_id").asc(nulls_first=True), "code"] if model is Commune else ["pk"]
            rows = list(model.objects.order_by(*order).values())
            _GEOGRAPHY.append((model, rows))
    if not Departement.objects.exists():
        for model, rows in _GEOGRAPHY:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
    seed_reference_data()
    seed_procedures()
