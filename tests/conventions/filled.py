"""A house of `world` with its convention filled: every blank of the seed has its datum (the
conventions' tests and the permission matrix)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from msap.conventions import services
from msap.partners.models import ServiceItem

SIGNED = date(2025, 3, 15)


def fill(world, *, year=None):
    """Sign `world.house`'s convention with its two partners and fill annex 3 for `year`."""
    house, actor = world.house, world.users.responsable
    year = year or timezone.localdate().year
    convention = services.sign_convention(
        actor,
        house,
        signed_on=SIGNED,
        signed_at="Tulle",
        signer_name="Sophie Martin",
        signer_title="Présidente de Tulle Agglo",
        service_notice_months=3,
    )
    services.update_convention(
        actor,
        convention,
        {"manager_delegations": "Le responsable organise les plannings et signe les courriers."},
        convention.version,
    )
    convention.refresh_from_db()
    items = list(ServiceItem.objects.filter(code__in=["A.1", "B1.1", "B2.2"]))
    signatories = {}
    for partnership, name in ((world.caf, "Jean Caf"), (world.ft, "Anne Travail")):
        partnership.services.set(items)
        signatories[partnership.partner.code] = services.add_signatory(
            actor,
            convention,
            partnership,
            signed_on=date(2025, 4, 1),
            charter_signed_on=date(2025, 4, 1),
            signer_name=name,
            signer_title="Directeur départemental",
        )
    gestionnaire = convention.signatories.get(kind="gestionnaire")
    services.save_terms(
        actor,
        gestionnaire,
        year,
        {
            "financial": "Loyers, charges et frais de personnel de la maison.",
            "activity_share": Decimal("62.5"),
            "furniture": "Mobilier d'accueil et d'attente.",
        },
        None,
    )
    services.save_terms(
        actor,
        signatories["caf"],
        year,
        {
            "financial": "Subvention de fonctionnement de 15 000 €.",
            "bilateral_convention": "Convention bilatérale CAF du 2 mai 2025.",
            "permanence_office": "Bureau de permanence le mardi matin.",
            "cross_training": "Deux demi-journées de formation par an aux prestations familiales.",
        },
        None,
    )
    convention.refresh_from_db()
    return convention
