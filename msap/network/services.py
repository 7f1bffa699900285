"""Domain operations on houses. Each owns its transaction, its checks and its journal entry."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError, bump_version
from msap.network import rules, signals
from msap.network.models import (
    WEEKDAYS,
    Closure,
    Equipment,
    EquipmentKind,
    HoursChange,
    House,
    HouseKind,
    HouseStatus,
    MobileStop,
    OpeningRange,
    Organisation,
    Premises,
)
from msap.network.queries import current_ranges
from msap.network.rules import Range

HOUSE_FIELDS = [
    "name",
    "organisation",
    "kind",
    "address",
    "address_extra",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "phone",
    "email",
]
PREMISES_FIELDS = [
    "has_reception_point",
    "has_seated_waiting_area",
    "has_confidential_space",
    "reduced_mobility_access",
    "has_internet",
    "internet_high_speed",
    "has_meeting_room",
    "has_public_toilets",
    "permanence_office",
    "permanence_office_phone",
    "permanence_office_cabinet",
    "permanence_office_internet",
    "permanence_office_computer",
    "notes",
]


def _check_postal_code(commune, postal_code: str) -> None:
    codes = commune.postal_codes.split()
    if codes and postal_code not in codes:
        raise DomainError(
            _("Le code postal %(code)s ne correspond pas à la commune %(commune)s (%(codes)s).")
            % {"code": postal_code, "commune": commune.name, "codes": ", ".join(codes)},
            {
                "postal_code": [
                    _("Code postal attendu pour %(commune)s : %(codes)s.")
                    % {"commune": commune.name, "codes": ", ".join(codes)}
                ]
            },
        )


@transaction.atomic
def create_organisation(
    actor, *, name: str, kind: str, departement, siret: str = ""
) -> Organisation:
    """A gestionnaire (art. 1); the same name in the same département is the same organisation."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("Indiquez le nom du gestionnaire."), {"name": [_("Indiquez le nom du gestionnaire.")]}
        )
    organisation, created = Organisation.objects.get_or_create(
        name=name, departement=departement, defaults={"kind": kind, "siret": siret.strip()}
    )
    if created:
        journal.record(
            actor,
            "organisation.created",
            organisation,
            summary=gettext_noop("Gestionnaire créé : %(name)s"),
            params={"name": name},
        )
    return organisation


@transaction.atomic
def create_house(actor, *, served_communes=(), **data) -> House:
    _check_postal_code(data["commune"], data["postal_code"])
    house = House(**data)
    house.save()
    Premises.objects.create(house=house)
    if served_communes:
        house.served_communes.set(served_communes)
    journal.record(
        actor,
        "house.created",
        house,
        summary=gettext_noop("Création de la maison %(name)s"),
        params={"name": house.name},
    )
    return house


@transaction.atomic
def update_house(
    actor, house: House, data: dict, expected_version: int | None, *, served_communes=None
) -> House:
    """Edit a house's identity. Art. 2.3: it may move only inside its territory.

    `served_communes`, when given, replaces the communes the house serves in the same step; the
    move is checked against the territory as it was before the edit."""
    # Only the identity fields are edited here (status, version… have their own functions).
    data = {k: v for k, v in data.items() if k in HOUSE_FIELDS}
    if "commune" in data or "postal_code" in data:
        # The pair that will be stored must agree, even when only one of the two changes.
        _check_postal_code(
            data.get("commune", house.commune), data.get("postal_code", house.postal_code)
        )
    new_commune = data.get("commune")
    moved = new_commune is not None and new_commune.pk != house.commune_id
    if moved:
        served = set(house.served_communes.values_list("pk", flat=True))
        if served and new_commune.pk not in served:
            raise DomainError(
                _(
                    "La maison ne peut être déplacée que dans son cadre géographique (article 2.3) : "
                    "%(commune)s ne fait pas partie des communes desservies."
                )
                % {"commune": new_commune.name},
                {"commune": [_("Choisissez une commune du cadre géographique de la maison.")]},
            )
        if not served and new_commune.departement_id != house.commune.departement_id:
            raise DomainError(
                _("La maison ne peut être déplacée que dans son cadre géographique (article 2.3)."),
                {"commune": [_("Choisissez une commune du département de la maison.")]},
            )
    changes = journal.diff(house, data)
    house.version = bump_version(House, house.pk, expected_version)
    for field, value in data.items():
        setattr(house, field, value)
    house.save(update_fields=[*data, "version"])
    journal.record(
        actor,
        "house.updated",
        house,
        summary=gettext_noop("Identité de la maison modifiée"),
        changes=changes,
    )
    if moved:
        # Art. 2.3: the prefect and the national cell are informed of a move.
        journal.record(
            actor,
            "house.moved",
            house,
            summary=gettext_noop(
                "Déménagement à %(commune)s : à signaler au préfet et à la cellule nationale"
            ),
            params={"commune": new_commune.name},
        )
    if served_communes is not None:
        set_served_communes(actor, house, served_communes)
    return house


@transaction.atomic
def set_served_communes(actor, house: House, communes) -> None:
    before = set(house.served_communes.values_list("pk", flat=True))
    after = {c.pk for c in communes}
    if before == after:
        return
    house.served_communes.set(communes)
    journal.record(
        actor,
        "house.territory",
        house,
        summary=gettext_noop("Communes desservies modifiées"),
        changes={"added": sorted(after - before), "removed": sorted(before - after)},
    )


@transaction.atomic
def set_schedule(
    actor, house: House, ranges: list[Range], expected_version: int | None
) -> HoursChange | None:
    """Replace the weekly schedule. Refused (nothing saved) unless it meets art. 3.2."""
    check = rules.check_schedule(ranges)
    if not check.ok:
        raise DomainError(check.errors[0], {"__all__": check.errors})
    house.version = bump_version(House, house.pk, expected_version)
    before = sorted(current_ranges(house))
    after = sorted(ranges)
    if before == after:
        return None
    house.opening_ranges.all().delete()
    OpeningRange.objects.bulk_create(
        [OpeningRange(house=house, weekday=r.weekday, start=r.start, end=r.end) for r in after]
    )
    change = HoursChange.objects.create(
        house=house,
        changed_by=actor,
        before=[r.as_json() for r in before],
        after=[r.as_json() for r in after],
        weekly_minutes_before=rules.weekly_minutes(before),
        weekly_minutes_after=rules.weekly_minutes(after),
        substantial=bool(before) and rules.is_substantial_change(before, after),
    )
    journal.record(
        actor,
        "house.hours",
        house,
        summary=(
            gettext_noop("Modification substantielle des horaires")
            if change.substantial
            else gettext_noop("Horaires modifiés")
        ),
        changes={"before": change.before, "after": change.after},
    )
    if change.substantial:
        # Art. 3.2: the parties are informed of every substantial change of hours.
        transaction.on_commit(
            lambda: signals.substantial_hours_change.send(sender=HoursChange, change_pk=change.pk)
        )
    return change


@transaction.atomic
def add_closure(actor, house: House, *, start_date: date, end_date: date, reason: str) -> Closure:
    if end_date < start_date:
        raise DomainError(
            _("La date de fin doit être après la date de début."),
            {"end_date": [_("La date de fin doit être après la date de début.")]},
        )
    if not reason.strip():
        raise DomainError(
            _("Indiquez le motif de la fermeture."),
            {"reason": [_("Indiquez le motif de la fermeture.")]},
        )
    if len(reason.strip()) > Closure._meta.get_field("reason").max_length:
        raise DomainError(
            _("Le motif de la fermeture est trop long."),
            {
                "reason": [
                    _("%(max)d caractères au maximum.")
                    % {"max": Closure._meta.get_field("reason").max_length}
                ]
            },
        )
    closure = Closure.objects.create(
        house=house, start_date=start_date, end_date=end_date, reason=reason.strip()
    )
    journal.record(
        actor,
        "house.closure_added",
        closure,
        summary=gettext_noop("Fermeture du %(start)s au %(end)s"),
        params={"start": start_date, "end": end_date},
    )
    return closure


@transaction.atomic
def remove_closure(actor, closure: Closure) -> None:
    journal.delete(
        actor,
        "house.closure_removed",
        closure,
        gettext_noop("Fermeture du %(start)s au %(end)s retirée : %(reason)s"),
        {"start": closure.start_date, "end": closure.end_date, "reason": closure.reason},
    )


@transaction.atomic
def update_premises(actor, house: House, data: dict, expected_version: int | None) -> Premises:
    data = {k: v for k, v in data.items() if k in PREMISES_FIELDS}
    premises, _created = Premises.objects.get_or_create(house=house)
    changes = journal.diff(premises, data)
    premises.version = bump_version(Premises, premises.pk, expected_version)
    for field, value in data.items():
        setattr(premises, field, value)
    premises.save(update_fields=[*data.keys(), "version"])
    journal.record(
        actor, "house.premises", premises, summary=gettext_noop("Locaux modifiés"), changes=changes
    )
    return premises


MAX_EQUIPMENT_QUANTITY = 999


def _equipment_params(item: Equipment) -> dict:
    # The house's own label is its words; the kind's label is read in the reader's language.
    return {"item": item.label or EquipmentKind(item.kind).label}


def _stop_params(stop: MobileStop) -> dict:
    return {"place": stop.place, "weekday": dict(WEEKDAYS)[int(stop.weekday)]}


def _check_equipment(data: dict) -> None:
    # Refused here with a French message rather than by the database's constraint.
    if "kind" in data and data["kind"] not in EquipmentKind.values:
        raise DomainError(
            _("Type d'équipement inconnu."),
            {"kind": [_("Choisissez un type d'équipement de la liste.")]},
        )
    quantity = data.get("quantity", 1)
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_EQUIPMENT_QUANTITY:
        raise DomainError(
            _("Le nombre d'équipements doit être compris entre 1 et %(max)d.")
            % {"max": MAX_EQUIPMENT_QUANTITY},
            {
                "quantity": [
                    _("Indiquez un nombre entier entre 1 et %(max)d.")
                    % {"max": MAX_EQUIPMENT_QUANTITY}
                ]
            },
        )


@transaction.atomic
def add_equipment(actor, house: House, **data) -> Equipment:
    _check_equipment(data)
    item = Equipment.objects.create(house=house, **data)
    journal.record(
        actor,
        "house.equipment_added",
        item,
        summary=gettext_noop("Équipement ajouté : %(item)s"),
        params=_equipment_params(item),
    )
    return item


@transaction.atomic
def update_equipment(actor, item: Equipment, data: dict) -> Equipment:
    _check_equipment(data)
    changes = journal.diff(item, data)
    for field, value in data.items():
        setattr(item, field, value)
    item.save(update_fields=list(data.keys()))
    journal.record(
        actor,
        "house.equipment_updated",
        item,
        summary=gettext_noop("Équipement modifié : %(item)s"),
        params=_equipment_params(item),
        changes=changes,
    )
    return item


@transaction.atomic
def remove_equipment(actor, item: Equipment) -> None:
    journal.delete(
        actor,
        "house.equipment_removed",
        item,
        gettext_noop("Équipement retiré : %(item)s"),
        _equipment_params(item),
    )


@transaction.atomic
def add_stop(actor, house: House, **data) -> MobileStop:
    if house.kind != HouseKind.MOBILE:
        raise DomainError(_("Seule une maison itinérante a des étapes (engagement 3 ter)."))
    if str(data.get("weekday")) not in {"0", "1", "2", "3", "4", "5", "6"}:
        raise DomainError(
            _("Choisissez le jour de l'étape."),
            {"weekday": [_("Choisissez un jour de la semaine.")]},
        )
    if data["end"] <= data["start"]:
        raise DomainError(
            _("L'heure de fin doit être après l'heure de début."),
            {"end": [_("L'heure de fin doit être après l'heure de début.")]},
        )
    stop = MobileStop.objects.create(house=house, **data)
    journal.record(
        actor,
        "house.stop_added",
        stop,
        summary=gettext_noop("Étape ajoutée : %(place)s (%(weekday)s)"),
        params=_stop_params(stop),
    )
    return stop


@transaction.atomic
def remove_stop(actor, stop: MobileStop) -> None:
    journal.delete(
        actor,
        "house.stop_removed",
        stop,
        gettext_noop("Étape retirée : %(place)s (%(weekday)s)"),
        _stop_params(stop),
    )


@transaction.atomic
def recognise_house(actor, house: House, on: date) -> House:
    """Recognition by the prefect (art. 3.4): the house takes the network's name from that date."""
    house.set_status(HouseStatus.RECOGNISED)
    house.recognised_on = on
    house.save(update_fields=["status", "recognised_on"])
    journal.record(
        actor,
        "house.recognised",
        house,
        summary=gettext_noop("Reconnue par le préfet le %(on)s"),
        params={"on": on},
    )
    return house


@transaction.atomic
def close_house(actor, house: House, on: date) -> House:
    house.set_status(HouseStatus.CLOSED)
    house.closed_on = on
    house.save(update_fields=["status", "closed_on"])
    journal.record(
        actor, "house.closed", house, summary=gettext_noop("Fermée le %(on)s"), params={"on": on}
    )
    return house
