"""`msap demo`: build the demo network (idempotent) and print the demo accounts.

Everything goes through the domain services, with the demo administrator as actor, so the
journal reads as in real life. A second run changes nothing but the demo accounts (they exist,
are flagged `is_demo`, and open with the demo password). `--reset` deletes the demo network,
with what was recorded in its houses since, and builds it again; it refuses, deleting nothing,
when a real person works in a demo house or a record outside the demo depends on it.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import hashers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from msap.appointments.demo import build_appointments
from msap.charter.demo import build_charter
from msap.committees.demo import build_committees
from msap.conventions.demo import build_conventions
from msap.demo import data
from msap.desk.demo import build_activity
from msap.network import services as network
from msap.network.models import House, Organisation
from msap.network.rules import Range
from msap.partners import services as partners
from msap.partners.models import Partner, PartnerKind, Partnership, Referent, ServiceItem
from msap.people import services as people
from msap.people.models import Membership, Role, User
from msap.registers.demo import build_registers
from msap.surveys.demo import build_surveys
from msap.territory.models import Commune, Departement
from msap.transmissions.demo import build_transmissions


class Command(BaseCommand):
    help = "Construit le réseau de démonstration (sans rien dupliquer) et affiche les comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Supprime le réseau de démonstration puis le reconstruit (refusé si des données réelles en dépendent).",
        )

    def handle(self, *args, reset=False, **options):
        today = timezone.localdate()
        with transaction.atomic():
            if reset and demo_houses().exists():
                reset_demo()
                self.stdout.write(_("Réseau de démonstration supprimé."))
            if demo_present():
                ensure_accounts()
                self.stdout.write(_("Réseau de démonstration déjà présent : rien n'a été ajouté."))
            else:
                Builder(today).run()
                self.stdout.write(self.style.SUCCESS(_("Réseau de démonstration créé.")))
        # A year of counter activity and of registers; both skip houses that already have some.
        houses = list(demo_houses().select_related("commune__departement"))
        with transaction.atomic():
            requests = build_activity(houses, today=today)
        with transaction.atomic():
            items = build_registers(houses, today=today)
        with transaction.atomic():
            appointments = build_appointments(houses, today=today)
        with transaction.atomic():
            transmissions = build_transmissions(houses, today=today)
        with transaction.atomic():
            campaigns, survey_code = build_surveys(houses, today=today)
        with transaction.atomic():
            meetings = build_committees(houses, today=today)
        conventions = build_conventions(houses, today=today)
        with transaction.atomic():
            evidence = build_charter(houses, today=today)
        if requests or items:
            self.stdout.write(
                _(
                    "Activité de l'année ajoutée : %(requests)s demandes, %(items)s éléments de registre."
                )
                % {"requests": requests, "items": items}
            )
        if appointments:
            self.stdout.write(
                _("Rendez-vous avec les partenaires ajoutés : %(count)s.") % {"count": appointments}
            )
        if transmissions:
            self.stdout.write(
                _("Saisines des partenaires ajoutées : %(count)s.") % {"count": transmissions}
            )
        if campaigns:
            self.stdout.write(
                _("Enquêtes de satisfaction ajoutées : %(count)s campagnes.") % {"count": campaigns}
            )
        if survey_code:
            self.stdout.write(
                _("Pour essayer le formulaire public de l'enquête : /e/%(code)s/")
                % {"code": survey_code}
            )
        if meetings:
            self.stdout.write(
                _("Réunions des comités de pilotage ajoutées : %(count)s.") % {"count": meetings}
            )
        if conventions:
            self.stdout.write(_("Conventions-cadres signées : %(count)s.") % {"count": conventions})
        if evidence:
            self.stdout.write(
                _("Justificatifs de la charte de qualité ajoutés : %(count)s.")
                % {"count": evidence}
            )
        self.stdout.write(summary())


def demo_present() -> bool:
    return House.objects.filter(slug=data.FIRST_HOUSE).exists()


def demo_houses():
    return House.objects.filter(slug__in=data.HOUSE_SLUGS)


# --- accounts --------------------------------------------------------------------------------


def ensure_account_users() -> dict[str, User]:
    """The demo accounts exist, are active, flagged `is_demo`, and open with the demo password.

    One password hash per run at most: the accounts share one encoded hash, and a hash already
    checked is not checked again (a PBKDF2 round costs a noticeable fraction of a second).
    """
    verified: set[str] = set()
    fresh: list[str] = []

    def demo_hash() -> str:
        if not fresh:
            fresh.append(hashers.make_password(data.DEMO_PASSWORD))
            verified.add(fresh[0])
        return fresh[0]

    users = {}
    for account in [*data.ACCOUNTS, data.ADMIN_ACCOUNT]:
        admin = account is data.ADMIN_ACCOUNT
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User(
                email=account.email, first_name=account.first_name, last_name=account.last_name
            )
            user.password = demo_hash()
            user.is_demo = True
            user.is_staff = user.is_superuser = admin
            user.save()
        else:
            wanted = {"is_demo": True, "is_active": True}
            if admin:
                wanted |= {"is_staff": True, "is_superuser": True}
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, wanted[name])
            if user.password not in verified:
                if hashers.check_password(data.DEMO_PASSWORD, user.password):
                    verified.add(user.password)
                else:
                    user.password = demo_hash()
                    changed.append("password")
            if changed:
                user.save(update_fields=changed)
        users[account.email] = user
    return users


def ensure_accounts() -> dict[str, User]:
    """The demo accounts and their roles (creating only what is missing)."""
    users = ensure_account_users()
    actor = users[data.ADMIN_EMAIL]
    first_house = House.objects.get(slug=data.FIRST_HOUSE)
    # The gestionnaire manages the first house (and others); the prefecture is its département's.
    scopes = {
        Role.GESTIONNAIRE: {"organisation": first_house.organisation},
        Role.DEPARTEMENT: {"departement": first_house.commune.departement},
        Role.NATIONAL: {},
    }
    for account in data.ACCOUNTS:
        user = users[account.email]
        if account.role in people.HOUSE_ROLES:
            if (
                not Membership.objects.current()
                .filter(user=user, role=account.role, house=first_house)
                .exists()
            ):
                people.add_house_member(
                    actor,
                    first_house,
                    email=user.email,
                    role=account.role,
                    started_on=date(2018, 9, 3),
                )
            continue
        if account.role == Role.REFERENT:
            scope = {"partner": Partner.objects.get(code=data.REFERENT_ACCOUNTS[account.email])}
        else:
            scope = scopes[account.role]
        people.grant_role(actor, user, account.role, started_on=date(2020, 1, 6), **scope)
    return users


# --- building --------------------------------------------------------------------------------


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _ranges(rows) -> list[Range]:
    return [Range(day, _time(start), _time(end)) for day, start, end in rows]


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


def _email_part(text: str) -> str:
    return slugify(text)  # "Marie-Annick" -> "marie-annick", "Técher" -> "techer"


@dataclass(frozen=True)
class Course:
    """A training followed by a demo staff member."""

    title: str
    kind: str  # a people.models.TrainingKind value
    start: date
    days: int
    partner: Partner | None = None
    given_by: str = ""


class Builder:
    """Builds the network of demo_data.HOUSES through the domain services, deterministically."""

    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(data.SEED)
        self.items = {item.code: item for item in ServiceItem.objects.all()}
        self.phones: dict[str, int] = defaultdict(int)
        self.used_names: set[tuple[str, str]] = set()
        self.house_names: dict[int, set[str]] = defaultdict(set)

    def run(self) -> None:
        self._check_reference_data()
        self.users = ensure_account_users()
        self.actor = self.users[data.ADMIN_EMAIL]
        self.used_names |= {(a.first_name, a.last_name) for a in data.ACCOUNTS}
        self.organisations = {
            key: self._organisation(*row) for key, row in data.ORGANISATIONS.items()
        }
        self.local_partners = {
            key: self._local_partner(*row) for key, row in data.LOCAL_PARTNERS.items()
        }
        for house_data in data.HOUSES:
            self._house(house_data)
        ensure_accounts()

    def _check_reference_data(self) -> None:
        codes = {
            code
            for h in data.HOUSES
            for code in (h.commune, *h.served, *(s.commune for s in h.stops))
        }
        self.communes = Commune.objects.select_related("departement").in_bulk(codes)
        missing = sorted(codes - set(self.communes))
        if missing:
            raise CommandError(
                _(
                    "Communes introuvables : %(codes)s. Chargez d'abord la géographie administrative (msap migrate)."
                )
                % {"codes": ", ".join(missing)}
            )
        self.national = Partner.objects.filter(kind=PartnerKind.NATIONAL).in_bulk(field_name="code")
        needed = {code for h in data.HOUSES for code in h.partners}
        if needed - set(self.national) or len(self.items) < 20:
            raise CommandError(
                _(
                    "Les opérateurs nationaux et l'offre de l'annexe 1 manquent : lancez « msap migrate »."
                )
            )
        taken = list(demo_houses().values_list("slug", flat=True))
        if taken:
            raise CommandError(
                _(
                    "Des maisons de démonstration existent déjà sans la première (%(slugs)s) : relancez avec --reset."
                )
                % {"slugs": ", ".join(taken)}
            )

    def _organisation(self, name: str, kind: str, dept: str) -> Organisation:
        return network.create_organisation(
            self.actor, name=name, kind=kind, departement=Departement.objects.get(code=dept)
        )

    def _local_partner(self, dept: str, name: str, short_name: str, offer: str) -> Partner:
        existing = Partner.objects.filter(
            short_name__iexact=short_name, departement_id=dept
        ).first()
        if existing is not None:
            return existing
        departement = Departement.objects.get(code=dept)
        return partners.create_local_partner(
            self.actor, name=name, short_name=short_name, departement=departement
        )

    def _phone(self, dept: str) -> str:
        # Counted per block, not per département (19 and 23 share one): every number of the
        # demo is its own, so no referent's direct line is a house's public number.
        block = data.PHONE_BLOCKS[dept]
        self.phones[block] += 1
        n = 1000 + self.phones[block] * 7
        return f"{block} {n // 100 % 100:02d} {n % 100:02d}"

    def _person(self, dept: str, house: House) -> tuple[str, str, str]:
        """A fictitious (first name, last name, gender): never twice the same person, and never
        two people of one house with the same last name."""
        pool = data.FIRST_NAMES_REUNION if dept == "974" else data.FIRST_NAMES
        in_house = self.house_names[house.pk]
        while True:
            gender = self.rng.choice(("female", "male"))
            first, last = self.rng.choice(pool[gender]), self.rng.choice(data.LAST_NAMES[dept])
            if (first, last) not in self.used_names and (
                last not in in_house or len(in_house) >= 8
            ):
                self.used_names.add((first, last))
                in_house.add(last)
                return first, last, gender

    def _house(self, h: data.HouseData) -> House:
        actor, commune = self.actor, self.communes[h.commune]
        dept = commune.departement_id
        house = network.create_house(
            actor,
            served_communes=[self.communes[code] for code in h.served],
            name=h.name,
            slug=h.slug,
            organisation=self.organisations[h.organisation],
            kind=h.kind,
            address=h.address,
            address_extra=h.address_extra,
            postal_code=h.postal_code,
            commune=commune,
            latitude=Decimal(h.latitude),
            longitude=Decimal(h.longitude),
            phone=self._phone(dept),
            email=f"{h.slug}@maisons-demo.example",
        )
        if h.previous_schedule:  # recorded as one change of hours (HoursChange)
            network.set_schedule(actor, house, _ranges(h.previous_schedule), None)
        network.set_schedule(actor, house, _ranges(h.schedule), None)
        network.update_premises(actor, house, {**data.COMPLETE_PREMISES, **h.premises}, None)
        for kind, label, quantity in h.equipment:
            network.add_equipment(actor, house, kind=kind, label=label, quantity=quantity)
        for stop in h.stops:
            network.add_stop(
                actor,
                house,
                place=stop.place,
                commune=self.communes[stop.commune],
                weekday=stop.weekday,
                start=_time(stop.start),
                end=_time(stop.end),
            )
        self._closures(house, h)
        opened = h.recognised_on or h.staff_since
        house_partners = [self.national[code] for code in h.partners]
        house_partners += [self.local_partners[key] for key in h.local_partners]
        for partner in house_partners:
            self._partnership(house, h, partner, opened, dept)
        self._staff(house, h, dept, [p for p in house_partners if p.kind == PartnerKind.NATIONAL])
        if h.recognised_on:
            network.recognise_house(actor, house, h.recognised_on)
        return house

    def _closures(self, house: House, h: data.HouseData) -> None:
        if h.christmas_closure:
            year = (
                self.today.year
                if self.today <= date(self.today.year, 12, 24)
                else self.today.year + 1
            )
            network.add_closure(
                self.actor,
                house,
                start_date=date(year, 12, 24),
                end_date=date(year, 12, 31),
                reason="Fermeture de fin d'année (semaine de Noël)",
            )
        if h.team_training_closure:
            day = _monday_after(self.today + timedelta(days=14)) + timedelta(days=4)  # a Friday
            network.add_closure(
                self.actor,
                house,
                start_date=day,
                end_date=day,
                reason="Journée de formation de l'équipe",
            )

    def _partnership(
        self, house: House, h: data.HouseData, partner: Partner, opened: date, dept: str
    ) -> None:
        if partner.kind == PartnerKind.NATIONAL:
            offer_key, offer = partner.code, data.NATIONAL_OFFERS[partner.code]
        else:
            offer_key = next(
                v[3] for v in data.LOCAL_PARTNERS.values() if v[2] == partner.short_name
            )
            offer = data.LOCAL_OFFERS[offer_key]
        codes = offer.split()
        optional = [c for c in codes if c.startswith("B")]
        dropped = set(self.rng.sample(optional, k=min(len(optional) // 4, self.rng.randint(0, 2))))
        joined = opened + timedelta(days=self.rng.choice((0, 0, 0, 0, 240, 410)))
        joined = min(joined, self.today)
        partnership = partners.add_partnership(
            self.actor,
            house,
            partner,
            joined_on=joined,
            services=[self.items[c] for c in codes if c not in dropped],
        )
        if partner.code in h.no_referent:
            return
        referent = self._referent(partnership, h, offer_key, dept, started_on=joined)
        if partner.code in h.replaced_referent:
            replaced_on = max(date(self.today.year - 1, 9, 1), joined + timedelta(days=1))
            self._referent(
                partnership, h, offer_key, dept, started_on=replaced_on, replaces=referent
            )

    def _referent(
        self, partnership, h, offer_key: str, dept: str, *, started_on: date, replaces=None
    ) -> Referent:
        functions, domains, mail_domain = data.REFERENT_PROFILES[offer_key]
        account = next(
            (
                a
                for a in data.ACCOUNTS
                if data.REFERENT_ACCOUNTS.get(a.email) == partnership.partner.code
            ),
            None,
        )
        user = None
        if h.slug == data.FIRST_HOUSE and account is not None:
            # The first house's CAF and France Travail referents are the people behind
            # referent.caf@demo and referent.francetravail@demo: their cards carry their account.
            first, last = account.first_name, account.last_name
            gender = "female" if account is data.REFERENT_CAF else "male"
            user = self.users[account.email]
        else:
            first, last, gender = self._person(dept, partnership.house)
        masculine, feminine = functions[1] if self.rng.random() < 0.25 else functions[0]
        function = masculine if gender == "male" else feminine
        if dept == "974" and offer_key in data.REFERENT_BODY_OVERSEAS:
            function = f"{function} — {data.REFERENT_BODY_OVERSEAS[offer_key]}"
        return partners.add_referent(
            self.actor,
            partnership,
            started_on=started_on,
            replaces=replaces,
            first_name=first,
            last_name=last,
            function=function,
            domains=domains,
            phone=self._phone(dept),
            email=f"{_email_part(first)}.{_email_part(last)}@{mail_domain}",
            user=user,
        )

    def _staff(self, house: House, h: data.HouseData, dept: str, trainers: list[Partner]) -> None:
        people_in_house = []
        if h.slug == data.FIRST_HOUSE:
            responsable, agent = data.RESPONSABLE, data.AGENT
            people_in_house += [
                (
                    responsable.email,
                    responsable.first_name,
                    responsable.last_name,
                    Role.RESPONSABLE,
                ),
                (agent.email, agent.first_name, agent.last_name, Role.AGENT),
            ]
        while len(people_in_house) < h.staff:
            first, last, _gender = self._person(dept, house)
            role = Role.AGENT if people_in_house else Role.RESPONSABLE
            email = f"{_email_part(first)}.{_email_part(last)}@{data.ACCOUNT_DOMAIN}"
            people_in_house.append((email, first, last, role))
        for index, (email, first, last, role) in enumerate(people_in_house):
            user = self._staff_user(email, first, last)
            latest = self.today - timedelta(days=150)
            started = (
                h.staff_since
                if index == 0
                else h.staff_since + timedelta(days=self.rng.randint(0, 900))
            )
            started = max(min(started, latest), h.staff_since)
            people.add_house_member(
                self.actor, house, email=user.email, role=role, started_on=started
            )
            self._trainings(house, user, started, trainers)

    def _staff_user(self, email: str, first: str, last: str) -> User:
        """A demo staff member. Created here with an unusable password (they never log in):
        people.get_or_create_user would hash a random password, a noticeable cost per person."""
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_demo=True)
            user.set_unusable_password()
            user.save()
        return user

    def _trainings(self, house: House, user: User, started: date, trainers: list[Partner]) -> None:
        """Initial training by a partner (3 days), its refresher 3–4 months later, sometimes an
        immersion in another partner's services and a course on welcoming people in difficulty.
        Only trainings already over are recorded."""
        rng = self.rng
        trainer = rng.choice(trainers)
        initial = _monday_after(started + timedelta(days=10))
        refresher = _monday_after(initial + timedelta(days=rng.randint(84, 112)))
        name = trainer.short_name
        courses = [
            Course(
                f"Formation initiale à l'offre de service {name}", "initial", initial, 3, trainer
            ),
            Course(
                f"Actualisation des connaissances — {name}", "continuous", refresher, 1, trainer
            ),
        ]
        others = [p for p in trainers if p != trainer]
        if others and rng.random() < 0.6:
            host = rng.choice(others)
            place = data.IMMERSION_PLACES.get(
                host.code, f"dans les services de la {host.short_name}"
            )
            tuesday = _monday_after(initial + timedelta(days=rng.randint(150, 400))) + timedelta(1)
            courses.append(Course(f"Immersion {place}", "immersion", tuesday, 1, host))
        if rng.random() < 0.5:
            wednesday = _monday_after(initial + timedelta(days=rng.randint(200, 500))) + timedelta(
                2
            )
            courses.append(
                Course(data.RECEPTION_COURSE, "reception", wednesday, 2, given_by="CNFPT")
            )
        for course in courses:
            end = course.start + timedelta(days=course.days - 1)
            if end >= self.today:
                continue
            people.add_training(
                self.actor,
                house,
                user=user,
                title=course.title,
                kind=course.kind,
                partner=course.partner,
                given_by=course.given_by,
                started_on=course.start,
                ended_on=end,
                hours=Decimal(course.days * 7 if course.kind != "continuous" else "3.5"),
            )


# --- reset -----------------------------------------------------------------------------------


MAX_PURGE_ROUNDS = 8


def reset_demo() -> None:
    """Delete the demo network, or refuse (deleting nothing) when something real depends on it.

    Refused when a person who is not a demo account works or worked in a demo house. What was
    recorded in the demo houses since (any record with a `house` among them: requests, registers,
    trainings…) is demo activity and goes with them; a record elsewhere that depends on a demo
    object makes the reset refused. The journal is append-only: it keeps its entries.
    """
    houses = demo_houses()
    outsiders = Membership.objects.filter(house__in=houses, user__is_demo=False).select_related(
        "user", "house"
    )
    if outsiders.exists():
        who = ", ".join(sorted({f"{m.user.email} ({m.house.name})" for m in outsiders[:5]}))
        raise CommandError(
            _(
                "Réinitialisation refusée : des personnes réelles travaillent dans le réseau de démonstration (%(who)s). "
                "Rien n'a été supprimé."
            )
            % {"who": who}
        )
    house_ids = set(houses.values_list("pk", flat=True))
    accounts = [a.email for a in (*data.ACCOUNTS, data.ADMIN_ACCOUNT)]
    with transaction.atomic():
        purge(Referent.objects.filter(partnership__house_id__in=house_ids), house_ids)
        purge(Partnership.objects.filter(house_id__in=house_ids), house_ids)
        purge(
            Membership.objects.filter(Q(house_id__in=house_ids) | Q(user__email__in=accounts)),
            house_ids,
        )
        purge(House.objects.filter(pk__in=house_ids), house_ids)
        for name, _kind, dept in data.ORGANISATIONS.values():
            purge(
                Organisation.objects.filter(name=name, departement_id=dept, houses__isnull=True),
                house_ids,
            )
        for dept, _name, short_name, _offer in data.LOCAL_PARTNERS.values():
            purge(
                Partner.objects.filter(
                    kind=PartnerKind.LOCAL,
                    short_name=short_name,
                    departement_id=dept,
                    partnerships__isnull=True,
                    memberships__isnull=True,
                    trainings__isnull=True,
                ),
                house_ids,
            )
        purge(
            User.objects.filter(
                is_demo=True,
                email__endswith=f"@{data.ACCOUNT_DOMAIN}",
                memberships__isnull=True,
                trainings__isnull=True,
            ).exclude(email__in=accounts),
            house_ids,
        )


def purge(queryset, house_ids: set[int]) -> None:
    """Delete `queryset`, first deleting what protects it when that is activity of a demo house.

    Anything protecting it from outside the demo houses refuses the reset (CommandError); the
    caller's transaction then rolls everything back.
    """
    for _round in range(MAX_PURGE_ROUNDS):
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blockers = (
                exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            )
            outside = [obj for obj in blockers if getattr(obj, "house_id", None) not in house_ids]
            if outside:
                kinds = sorted({str(obj._meta.verbose_name) for obj in outside})
                raise CommandError(
                    _(
                        "Réinitialisation impossible : des données hors du réseau de démonstration en dépendent "
                        "(%(kinds)s). Rien n'a été supprimé ; pour repartir de zéro, utilisez une base neuve."
                    )
                    % {"kinds": ", ".join(kinds)}
                ) from exc
            by_model = defaultdict(set)
            for obj in blockers:
                by_model[type(obj)].add(obj.pk)
            for model, pks in by_model.items():
                purge(model._default_manager.filter(pk__in=pks), house_ids)
    raise CommandError(
        _("Réinitialisation impossible : trop de données liées au réseau de démonstration.")
    )


# --- summary ---------------------------------------------------------------------------------


def summary() -> str:
    houses = demo_houses()
    per_departement = (
        houses.values("commune__departement__code", "commune__departement__name")
        .annotate(n=Count("id"))
        .order_by("commune__departement__code")
    )
    places = ", ".join(
        f"{row['commune__departement__name']} : {row['n']}" for row in per_departement
    )
    counts = {
        "h": houses.count(),
        "d": len(per_departement),
        "places": places,
        "m": houses.filter(kind="mobile").count(),
        "p": houses.filter(status="project").count(),
        "pa": Partnership.objects.active().filter(house__in=houses).count(),
        "r": Referent.objects.filter(partnership__house__in=houses, ended_on__isnull=True).count(),
        "s": Membership.objects.current()
        .filter(house__in=houses)
        .values("user")
        .distinct()
        .count(),
    }
    lines = [
        _(
            "%(h)d maisons dans %(d)d départements (%(places)s), dont %(m)d itinérante et %(p)d en projet."
        )
        % counts,
        _("%(pa)d partenariats, %(r)d référents en poste, %(s)d membres des équipes.") % counts,
        "",
        _("Comptes de démonstration (mot de passe : %(password)s) — %(url)s")
        % {"password": data.DEMO_PASSWORD, "url": settings.SITE_URL},
    ]
    accounts = (*data.ACCOUNTS, data.ADMIN_ACCOUNT)
    width = max(len(a.email) for a in accounts)
    lines += [f"  {account.email.ljust(width)}  {account.label}" for account in accounts]
    if not settings.DEMO_MODE:
        lines += [
            "",
            _(
                "Attention : le mode démonstration est désactivé, ces comptes ne peuvent pas se connecter. "
                "Lancez l'application avec MSAP_DEMO=true."
            ),
        ]
    return "\n".join(lines)
