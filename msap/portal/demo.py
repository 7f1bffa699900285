"""The demo's partner inbox (issue 9, item 10): in the first demo house, transmissions to the
CAF and to France Travail waiting for their referents today — sent through the transmissions'
services as an agent does, one already taken in charge. Idempotent: a house that already has
transmissions is left as it is."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from msap.people.models import Membership, Role
from msap.transmissions import services as transmissions
from msap.transmissions.models import DataCategory, Transmission, Urgency

# Partner code -> [(subject, question, urgency, with the person's name and reference)].
INBOX = {
    "caf": [
        (
            "Droits au RSA après une séparation",
            "Mme R. s'est séparée en janvier et vit seule avec deux enfants : quels droits "
            "ouvrir (RSA, allocation de soutien familial) et quelles pièces fournir ?",
            Urgency.URGENT,
            True,
        ),
        (
            "Trop-perçu d'aide au logement contesté",
            "Un allocataire conteste un trop-perçu de 640 € notifié en mars ; il a changé de "
            "logement en décembre. Pouvez-vous revoir le calcul ?",
            Urgency.NORMAL,
            False,
        ),
    ],
    "france-travail": [
        (
            "Radiation après un rendez-vous manqué",
            "Un demandeur d'emploi n'a pas reçu sa convocation (changement d'adresse) et a été "
            "radié : comment demander sa réinscription rétroactive ?",
            Urgency.NORMAL,
            True,
        ),
    ],
}


def build_partner_inbox(house, *, person_names=("Rose Martin", "Ahmed Benali")) -> int:
    """Send the first house's demo transmissions; returns how many were sent."""
    if Transmission.objects.filter(house=house).exists():
        return 0
    agent = (
        Membership.objects.current()
        .filter(house=house, role=Role.AGENT)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if agent is None:
        return 0
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        for partnership in house.partnerships.active().select_related("partner"):
            for n, (subject, question, urgency, personal) in enumerate(
                INBOX.get(partnership.partner.code, [])
            ):
                person = (
                    {
                        "person_name": person_names[n % len(person_names)],
                        "person_reference": "1234567",
                    }
                    if personal
                    else {}
                )
                consent = (
                    {
                        "consent": True,
                        "consent_categories": [DataCategory.IDENTITY, DataCategory.REFERENCE],
                        "consent_until": now.date() + timedelta(days=90),
                    }
                    if personal
                    else {}
                )
                _transmission, created = transmissions.send(
                    agent.user,
                    house,
                    partnership=partnership,
                    subject=subject,
                    question=question,
                    urgency=urgency,
                    idempotency_key=f"demo-{partnership.partner.code}-{n}",
                    **person,
                    **consent,
                )
                sent += created
    return sent
