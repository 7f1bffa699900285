"""The convention's life (art. 7, 9, 10) through its services: signatures, withdrawals, the
gestionnaire's denunciation, adhesions, a service's withdrawal, annex 3; bad input refused in
French with nothing saved; the partners told through the queue, once."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from msap.conventions import services
from msap.conventions.models import (
    AdhesionStatus,
    Convention,
    ConventionStatus,
    ManagementTerms,
    Notice,
    Signatory,
)
from msap.core.errors import DomainError, StaleVersion
from msap.core.queue import run_ready_tasks
from msap.network.models import HouseStatus
from msap.partners.models import PartnershipStatus, ServiceItem
from tests import factories as f
from tests.conventions.filled import SIGNED


def _sign(world, **extra):
    return services.sign_convention(
        world.users.responsable, world.house, signed_on=SIGNED, signed_at="Tulle", **extra
    )


def test_a_partner_signing_twice_is_refused_and_nothing_saved(world):
    convention = _sign(world)
    services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    with pytest.raises(DomainError, match="CAF a déjà signé la convention"):
        services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    assert convention.signatories.filter(partnership=world.caf).count() == 1


def test_a_house_has_one_convention(world):
    _sign(world)
    with pytest.raises(DomainError, match="déjà sa convention-cadre"):
        _sign(world)
    assert Convention.objects.filter(house=world.house).count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(1999, 1, 1), "Date trop ancienne"),
        (date(9999, 12, 31), "Date trop lointaine"),
        (date(2099, 1, 1), "Date trop lointaine"),
    ],
)
def test_implausible_signature_dates_are_refused_core_rules(world, day, message):
    with pytest.raises(DomainError, match=message):
        services.sign_convention(world.users.responsable, world.house, signed_on=day)
    assert not Convention.objects.exists()


def test_a_signature_in_the_future_is_refused(world):
    with pytest.raises(DomainError, match="ne peut pas être dans le futur"):
        services.sign_convention(world.users.responsable, world.house, signed_on=date(2035, 1, 1))


def test_withdrawal_letter_dated_before_the_signature_is_refused_art7(world):
    convention = _sign(world)
    signatory = services.add_signatory(
        world.users.responsable, convention, world.caf, signed_on=SIGNED
    )
    with pytest.raises(DomainError, match="ne peut pas précéder la signature"):
        services.record_withdrawal(
            world.users.responsable,
            signatory,
            letter_on=date(2025, 1, 2),
            expected_version=signatory.version,
        )
    signatory.refresh_from_db()
    assert signatory.withdrawal_letter_on is None
    assert not Notice.objects.exists()


def test_withdrawal_takes_effect_at_the_echeance_and_other_partners_are_told_once(world):
    convention = _sign(world)
    caf = services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    services.add_signatory(world.users.responsable, convention, world.ft, signed_on=SIGNED)
    services.record_withdrawal(
        world.users.responsable, caf, letter_on=date(2026, 5, 4), expected_version=caf.version
    )
    caf.refresh_from_db()
    # Signed 15 March 2025: échéance 15 March 2028, notice reached (art. 7, 10).
    assert caf.withdrawal_effective_on == date(2028, 3, 15)
    assert run_ready_tasks("mail") == 1
    assert run_ready_tasks("mail") == 0
    assert len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == [world.ft_referent.email]  # the other partners, not the CAF itself
    assert "15 mars 2028" in message.body
    with pytest.raises(DomainError, match="déjà enregistré"):
        services.record_withdrawal(
            world.users.responsable, caf, letter_on=date(2026, 5, 5), expected_version=caf.version
        )


def test_a_stale_withdrawal_never_overwrites(world):
    convention = _sign(world)
    caf = services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    services.update_signatory(world.users.responsable, caf, {"signer_name": "A"}, caf.version)
    stale = Signatory.objects.get(pk=caf.pk)
    stale.version -= 1
    with pytest.raises(StaleVersion):
        services.record_withdrawal(
            world.users.responsable, stale, letter_on=date(2026, 5, 4), expected_version=1
        )
    assert Signatory.objects.get(pk=caf.pk).withdrawal_letter_on is None


def test_denunciation_ends_the_house_at_its_effective_date_and_the_prefect_is_told(world):
    convention = _sign(world)
    services.denounce(
        world.users.gestionnaire,
        convention,
        letter_on=date(2026, 11, 2),
        expected_version=convention.version,
    )
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DENOUNCED
    assert convention.denounced_effective_on == date(2028, 3, 15)
    run_ready_tasks("mail")
    (message,) = mail.outbox
    assert world.users.prefecture.email in message.to
    assert "met fin" not in message.subject and "dénonciation" in message.subject
    with pytest.raises(DomainError, match="déjà été dénoncée"):
        services.denounce(
            world.users.gestionnaire,
            convention,
            letter_on=date(2026, 11, 3),
            expected_version=convention.version,
        )
    # Before the effective date nothing ends; on it, the house closes (house lifecycle).
    assert services.handle_one(convention, date(2028, 3, 14)) == []
    assert "fin de la convention" in services.handle_one(convention, date(2028, 3, 15))
    world.house.refresh_from_db()
    assert world.house.status == HouseStatus.CLOSED
    assert world.house.closed_on == date(2028, 3, 15)
    assert services.handle_one(convention, date(2028, 3, 16)) == []


def test_a_withdrawal_ends_the_partnership_at_its_effective_date(world):
    convention = _sign(world)
    caf = services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    services.record_withdrawal(
        world.users.responsable, caf, letter_on=date(2026, 5, 4), expected_version=caf.version
    )
    services.handle_one(convention, date(2028, 3, 14))
    world.caf.refresh_from_db()
    assert world.caf.status == PartnershipStatus.ACTIVE
    services.handle_one(convention, date(2028, 3, 15))
    world.caf.refresh_from_db()
    assert world.caf.status == PartnershipStatus.WITHDRAWN
    assert world.caf.left_on == date(2028, 3, 15)


def test_adhesion_examined_partners_informed_then_newcomer_signs_convention_and_charter(world):
    convention = _sign(world)
    msa = f.national_partner("msa")
    request = services.request_adhesion(
        world.users.responsable, convention, msa, requested_on=date(2026, 9, 1)
    )
    with pytest.raises(DomainError, match="déjà en cours"):
        services.request_adhesion(
            world.users.responsable, convention, msa, requested_on=date(2026, 9, 1)
        )
    with pytest.raises(DomainError, match="Passage impossible"):
        services.sign_adhesion(
            world.users.responsable,
            request,
            signed_on=date(2026, 10, 1),
            charter_signed_on=date(2026, 10, 1),
            expected_version=request.version,
        )
    services.examine_adhesion(
        world.users.gestionnaire,
        request,
        accept=True,
        on=date(2026, 9, 15),
        expected_version=request.version,
    )
    run_ready_tasks("mail")
    assert {world.caf_referent.email, world.ft_referent.email} <= set(mail.outbox[0].to)
    signatory = services.sign_adhesion(
        world.users.responsable,
        request,
        signed_on=date(2026, 10, 1),
        charter_signed_on=date(2026, 10, 1),
        services=list(ServiceItem.objects.filter(code="A.1")),
        expected_version=request.version,
    )
    request.refresh_from_db()
    assert request.status == AdhesionStatus.SIGNED and request.signatory == signatory
    assert world.house.partnerships.active().filter(partner=msa).exists()
    assert signatory.charter_signed_on == date(2026, 10, 1)


def test_a_service_withdrawal_uses_the_conventions_notice_art9(world):
    convention = _sign(world)
    item = ServiceItem.objects.get(code="A.1")
    world.caf.services.set([item])
    with pytest.raises(DomainError, match="ne fixe pas encore le préavis"):
        services.withdraw_service(
            world.users.responsable, convention, world.caf, item, notified_on=date(2026, 1, 31)
        )
    convention.service_notice_months = 3
    convention.save(update_fields=["service_notice_months"])
    withdrawal = services.withdraw_service(
        world.users.responsable, convention, world.caf, item, notified_on=date(2026, 1, 31)
    )
    assert withdrawal.effective_on == date(2026, 4, 30)
    services.handle_one(convention, date(2026, 4, 30))
    assert not world.caf.services.filter(pk=item.pk).exists()


def test_term_alert_is_sent_once_before_each_echeance(world):
    convention = _sign(world)
    services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    assert services.handle_one(convention, date(2027, 8, 14)) == []
    assert services.handle_one(convention, date(2027, 8, 15)) == ["alerte échéance 2028-03-15"]
    assert services.handle_one(convention, date(2027, 9, 1)) == []
    run_ready_tasks("mail")
    (message,) = mail.outbox
    assert world.users.responsable.email in message.to
    assert world.caf_referent.email in message.to
    # The renewed term has its own alert, three years later.
    assert services.handle_one(convention, date(2030, 8, 15)) == ["alerte échéance 2031-03-15"]


def test_annex3_terms_refuse_a_share_over_100_and_a_stale_edit(world):
    convention = _sign(world)
    gestionnaire = convention.signatories.get(kind="gestionnaire")
    with pytest.raises(DomainError, match="entre 0 et 100"):
        services.save_terms(
            world.users.responsable, gestionnaire, 2026, {"activity_share": Decimal("120")}, None
        )
    assert not ManagementTerms.objects.exists()
    terms = services.save_terms(
        world.users.responsable, gestionnaire, 2026, {"activity_share": Decimal("40")}, 0
    )
    with pytest.raises(StaleVersion):
        services.save_terms(
            world.users.responsable, gestionnaire, 2026, {"financial": "x"}, terms.version - 1
        )
    with pytest.raises(StaleVersion):  # a second "new" form for the same year
        services.save_terms(world.users.responsable, gestionnaire, 2026, {"financial": "y"}, 0)
    assert ManagementTerms.objects.get().financial == ""


def test_term_alert_recipients_include_the_gestionnaire(world):
    convention = _sign(world)
    services.handle_one(convention, date(2027, 8, 15))
    run_ready_tasks("mail")
    assert world.users.gestionnaire.email in mail.outbox[0].to


def test_the_daily_command_is_idempotent(world):
    convention = _sign(world)
    services.add_signatory(world.users.responsable, convention, world.caf, signed_on=SIGNED)
    call_command("convention_dates", now="2027-08-20", stdout=io.StringIO())
    call_command("convention_dates", now="2027-08-21", stdout=io.StringIO())
    assert Notice.objects.filter(convention=convention, kind="term").count() == 1
