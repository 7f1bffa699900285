"""factory_boy factories for every domain object. Communes come from the loaded geography."""

from datetime import date, time

import factory
from factory.django import DjangoModelFactory

from msap.network.models import Equipment, House, HouseStatus, OpeningRange, Organisation, Premises
from msap.partners.models import Partner, PartnerKind, Partnership, Referent
from msap.people.models import Membership, Role, Training, User
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
