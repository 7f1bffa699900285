"""factory_boy factories for every domain object. Communes come from the loaded geography.

The records of a house (requests, register items, personal files) are built through the same
checks as the services: a register item and a personal file are made by the service itself,
which numbers and journals them; a request, which the service stores in one INSERT without a
journal entry, is checked by `desk.services.validate` before it is stored. Each is recorded by
an agent of its house: the one named, else the house's first agent (one is made if it has none).
"""

import itertools
from datetime import date, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msap.appointments.models import Adviser, AppointmentType, SlotRule
from msap.desk import services as desk_services
from msap.desk.models import ServiceRequest
from msap.dossiers import services as dossier_services
from msap.dossiers.models import Dossier, LinkedRequest
from msap.network.models import (
    Closure,
    Equipment,
    House,
    HouseStatus,
    MobileStop,
    OpeningRange,
    Organisation,
    Premises,
)
from msap.partners.models import Partner, PartnerKind, Partnership, Referent, ServiceCategory
from msap.people.models import Membership, Role, Training, User
from msap.public import services as public_services
from msap.registers import services as register_services
from msap.registers.models import Kind, RegisterItem
from msap.surveys import services as survey_services
from msap.territory.models import Commune, Departement

DEMO_PASSWORD = "demo-msap"
PASSWORD = "mot-de-passe-de-test"


def commune(code: str = "19031") -> Commune:  # Brive-la-Gaillarde by default
    return Commune.objects.select_related("departement").get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Communauté de communes n°{n}")
    kind = "epci"
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="19"))


class HouseFactory(DjangoModelFactory):
    class Meta:
        model = House
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Maison de services au public n°{n}")
    slug = factory.Sequence(lambda n: f"maison-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    commune = factory.LazyFunction(commune)
    postal_code = factory.LazyAttribute(lambda o: o.commune.postal_codes.split()[0])
    address = "1 place de la Mairie"
    phone = "05 55 00 00 00"
    email = factory.Sequence(lambda n: f"maison{n}@msap.exemple.fr")
    status = HouseStatus.RECOGNISED
    recognised_on = date(2024, 1, 15)

    @factory.post_generation
    def with_defaults(obj, create, extracted, **kwargs):
        """A complete house: premises meeting art. 3.3, equipment, and 27 h over 5 days."""
        if not create or extracted is False:
            return
        Premises.objects.get_or_create(
            house=obj,
            defaults={
                "has_reception_point": True,
                "has_seated_waiting_area": True,
                "has_confidential_space": True,
                "has_internet": True,
                "internet_high_speed": True,
                "reduced_mobility_access": "Accueil de plain-pied, rampe.",
            },
        )
        Equipment.objects.create(house=obj, kind="multimedia", quantity=2)
        Equipment.objects.create(house=obj, kind="printer")
        for day in range(5):  # Monday to Friday, 9:00-12:00 and 14:00-16:30: 27 h 30
            OpeningRange.objects.create(house=obj, weekday=day, start=time(9), end=time(12))
            OpeningRange.objects.create(house=obj, weekday=day, start=time(14), end=time(16, 30))


class ClosureFactory(DjangoModelFactory):
    """An exceptional closure ahead of every test's clock."""

    class Meta:
        model = Closure

    house = factory.SubFactory(HouseFactory)
    start_date = date(2030, 1, 2)
    end_date = date(2030, 1, 3)
    reason = "Travaux"


class MobileStopFactory(DjangoModelFactory):
    """A mobile house's weekly stop, in its own commune (commitment 3 ter)."""

    class Meta:
        model = MobileStop

    house = factory.SubFactory(HouseFactory, kind="mobile")
    place = "Marché"
    commune = factory.LazyAttribute(lambda o: o.house.commune)
    weekday = 2
    start = time(9)
    end = time(12)


def national_partner(code: str = "caf") -> Partner:
    return Partner.objects.get(code=code)


class LocalPartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    code = factory.Sequence(lambda n: f"local-{n}")
    name = factory.Sequence(lambda n: f"Mission locale n°{n}")
    short_name = factory.Sequence(lambda n: f"ML{n}")
    kind = PartnerKind.LOCAL
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="19"))


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    house = factory.SubFactory(HouseFactory)
    partner = factory.LazyFunction(national_partner)
    joined_on = date(2024, 1, 15)


class ReferentFactory(DjangoModelFactory):
    class Meta:
        model = Referent

    partnership = factory.SubFactory(PartnershipFactory)
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Référente{n}")
    function = "Conseillère référente"
    phone = factory.Sequence(lambda n: f"05 55 12 {n % 100:02d} 34")
    email = factory.Sequence(lambda n: f"referent.prive{n}@partenaire.exemple.fr")
    domains = "Prestations familiales, logement"
    started_on = date(2024, 1, 15)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.AGENT
    started_on = date(2024, 1, 15)


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training

    title = "Formation initiale aux prestations familiales"
    kind = "initial"
    started_on = date(2024, 2, 5)
    ended_on = date(2024, 2, 7)


class AppointmentTypeFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentType

    partnership = factory.SubFactory(PartnershipFactory)
    subject = "Dossier de prestations familiales"
    location_type = "video"
    duration_minutes = 30
    processing_days = 10


class AdviserFactory(DjangoModelFactory):
    class Meta:
        model = Adviser

    partnership = factory.SubFactory(PartnershipFactory)
    first_name = "Sophie"
    last_name = factory.Sequence(lambda n: f"Conseillère{n}")


class SlotRuleFactory(DjangoModelFactory):
    """A weekly opening of an adviser: Monday 9:00-12:00 from 1 January 2026 by default."""

    class Meta:
        model = SlotRule

    adviser = factory.SubFactory(AdviserFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    weekday = 0
    start = time(9)
    end = time(12)
    starts_on = date(2026, 1, 1)


# --- the records of a house ----------------------------------------------------------------------


def agent_of(house: House) -> User:
    """The house's first agent (by membership), or a new one: who records its activity."""
    membership = (
        Membership.objects.current()
        .filter(house=house, role__in=[Role.AGENT, Role.RESPONSABLE])
        .select_related("user")
        .order_by("role", "pk")  # "agent" sorts before "responsable"
        .first()
    )
    if membership is not None:
        return membership.user
    return MembershipFactory(house=house, role=Role.AGENT).user


def overseas_house_of(user: User, commune_code: str = "97411") -> House:
    """A house in Réunion (UTC+4 all year, Saint-Denis by default) where `user` is also an
    agent: for the rules that count days in each house's own time zone."""
    house = HouseFactory(name="France Services de Saint-Denis", commune=commune(commune_code))
    MembershipFactory(user=user, house=house, role=Role.AGENT)
    return house


def service_category(code: str = "B1") -> ServiceCategory:
    return ServiceCategory.objects.get(code=code)


class ServiceRequestFactory(DjangoModelFactory):
    """A request of the attendance tool, an hour ago by default (CAF, B1). `partner` and
    `category` take a code too (`partner="cpam"`, `category="B2"`, `partner=None`);
    `dossier=` links it to a personal file, as a follow-up of that file does."""

    class Meta:
        model = ServiceRequest
        skip_postgeneration_save = True

    house = factory.SubFactory(HouseFactory)
    agent = factory.LazyAttribute(lambda o: agent_of(o.house))
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    partner = "caf"
    category = "B1"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("partner"), str):
            kwargs["partner"] = national_partner(kwargs["partner"])
        if isinstance(kwargs.get("category"), str):
            kwargs["category"] = service_category(kwargs["category"])
        unknown = set(kwargs) - {"house", "agent", "idempotency_key", *desk_services.FIELDS}
        if unknown:
            raise TypeError(f"ServiceRequestFactory: not fields of a request: {sorted(unknown)}")
        # What the quick entry, the API and the import refuse, a factory refuses too.
        desk_services.validate(kwargs["house"], kwargs)
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def other_partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.other_partners.set(
                national_partner(p) if isinstance(p, str) else p for p in extracted
            )

    @factory.post_generation
    def dossier(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            LinkedRequest.objects.create(request=obj, dossier=extracted)


class RegisterItemFactory(factory.Factory):
    """An item of a house's register, recorded by `registers.services.record_item` (numbered in
    the register's order, its deadline from its rule, journaled): an incoming letter received an
    hour ago by default. The channel follows the kind; a call leaves a voicemail by default.
    Any other field of the service (`sender_name`, `sender_address`, `partner`…) passes through."""

    class Meta:
        model = RegisterItem

    house = factory.SubFactory(HouseFactory)
    created_by = factory.LazyAttribute(lambda o: agent_of(o.house))
    kind = Kind.INCOMING_MAIL
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    channel = factory.LazyAttribute(
        lambda o: {Kind.EMAIL: "email", Kind.PHONE: "phone"}.get(o.kind, "post")
    )
    subject = "Demande de renseignements"

    @classmethod
    def _create(cls, model_class, *args, house, created_by, **kwargs):
        if kwargs["kind"] == Kind.PHONE:
            kwargs.setdefault("phone_outcome", "voicemail")
        return register_services.record_item(created_by, house, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("A register item is numbered by the service: create it, do not build it.")


# The person of a personal file, and what they consented to (defaults of DossierFactory).
PERSON = {
    "first_name": "Héloïse",
    "last_name": "Vandermeersch",
    "birth_year": 1957,
    "phone": "06 12 34 56 78",
    "email": "heloise.vandermeersch@exemple.fr",
    "postal_address": "3 impasse des Tilleuls, 19000 Tulle",
}
CONSENT_PURPOSE = "Suivi de mon dossier de retraite avec la CARSAT"


class DossierFactory(factory.Factory):
    """A personal file opened by `dossiers.services.open_dossier`, with the person's consent
    (journaled, its fields checked as on the screen). `now` dates the consent; the identity
    defaults to PERSON: an identity field set to "" (or None for the birth year) leaves it out."""

    class Meta:
        model = Dossier

    house = factory.SubFactory(HouseFactory)
    consent_by = factory.LazyAttribute(lambda o: agent_of(o.house))
    consent_purpose = CONSENT_PURPOSE
    now = None
    first_name = PERSON["first_name"]
    last_name = PERSON["last_name"]
    birth_year = PERSON["birth_year"]
    phone = PERSON["phone"]
    email = PERSON["email"]
    postal_address = PERSON["postal_address"]

    @classmethod
    def _create(cls, model_class, *args, house, consent_by, **kwargs):
        return dossier_services.open_dossier(consent_by, house, consent_given=True, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("A personal file opens with consent through the service: create it.")


def public_complaint(house: House, **data):
    """A complaint sent through the public site's form (msap.public): a register item with no
    author, as a person filed it; returns (item, the signed reference of its acknowledgement)."""
    fields = {"subject": "Attente à l'accueil", "address": "3 rue des Lilas, 19000 Tulle", **data}
    token = public_services.new_form_token()
    item = public_services.submit(house, "reclamation", token, fields, client="tests").item
    return item, public_services.ack_reference(item)


def survey_campaign(house: House, *, year: int | None = None, opens_on=None, closes_on=None):
    """The year's satisfaction survey of a house (msap.surveys, commitment 15), opened by its
    responsable through the service; open today by default."""
    today = timezone.localdate()
    year = year or today.year
    return survey_services.open_campaign(
        None,
        house,
        year=year,
        opens_on=opens_on or date(year, 1, 1),
        closes_on=closes_on or date(year, 12, 31),
    )


SURVEY_ANSWER = {
    "access": 4,
    "welcome": 4,
    "waiting": 3,
    "confidentiality": 4,
    "outcome": 3,
    "overall": 9,
    "comment": "",
}


_survey_clients = itertools.count(1)


def survey_answer(campaign, *, client: str | None = None, **data):
    """One anonymous answer to `campaign`, sent with a fresh one-time code (the public form's
    path), each from its own client address unless told (the form's rate limit is per address)."""
    (token,) = survey_services.issue_tokens(None, campaign, 1)
    client = client or f"tests-{next(_survey_clients)}"
    return survey_services.submit_answer(token.code, {**SURVEY_ANSWER, **data}, client=client)


class MeetingFactory(DjangoModelFactory):
    """A meeting of a house's steering committee (art. 6), held last month by default."""

    class Meta:
        model = "committees.Meeting"

    house = factory.SubFactory(HouseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    place = "Salle du conseil"
    status = "held"
    minutes = "Le comité a examiné l'activité de l'année."
