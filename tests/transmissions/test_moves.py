"""The partner's answer along the status graph (issue 9 §5): sent → taken in charge → more
information requested ↔ answered by the house → resolved / redirected / refused. Every step
timestamped, on the timeline, journaled, emitted to the partner's system and notified to the
agent who sent it; only the addressed partner's referents move it, only the house answers."""

from datetime import timedelta

import pytest
from django.core import mail

from msap.core.errors import DomainError, StaleVersion
from msap.core.models import JournalEntry
from msap.core.queue import run_ready_tasks
from msap.transmissions import services
from msap.transmissions.models import Transmission
from msap.webhooks.models import Endpoint, Event
from tests import factories as f
from tests.transmissions.conftest import NOW, pdf, send, send_personal, stored_files

HOUR = timedelta(hours=1)


@pytest.fixture
def endpoint(world):
    return Endpoint.objects.create(
        partner=world.caf.partner,
        url="https://caf.exemple.fr/hook",
        event_types=[
            "transmission.taken_in_charge",
            "transmission.information_requested",
            "transmission.answered",
            "transmission.resolved",
        ],
    )


def test_the_whole_journey_is_timestamped_journaled_emitted_and_notified(world, endpoint):
    caf = world.users.referent_caf
    t = send_personal(world)
    t = services.take_in_charge(caf, t, version=t.version, now=NOW + HOUR)
    assert t.status == "taken" and t.taken_at == NOW + HOUR
    t = services.request_information(caf, t, "L'avis 2025 ?", version=t.version, now=NOW + 2 * HOUR)
    t = services.answer(
        world.users.agent,
        t,
        "Le voici.",
        [pdf("avis-2025.pdf")],
        version=t.version,
        now=NOW + 3 * HOUR,
    )
    t = services.resolve(caf, t, "Droits ouverts.", version=t.version, now=NOW + 4 * HOUR)
    assert t.status == "resolved" and t.closed_at == NOW + 4 * HOUR
    assert list(t.steps.values_list("status", "text")) == [
        ("sent", ""),
        ("taken", ""),
        ("info_requested", "L'avis 2025 ?"),
        ("answered", "Le voici."),
        ("resolved", "Droits ouverts."),
    ]
    assert t.steps.get(status="answered").attachments.get().original_name == "avis-2025.pdf"
    assert (
        JournalEntry.objects.filter(target_id=str(t.pk), action__startswith="transmission.").count()
        == 6
    )
    assert list(Event.objects.order_by("created_at").values_list("event_type", flat=True)) == [
        "transmission.taken_in_charge",
        "transmission.information_requested",
        "transmission.answered",
        "transmission.resolved",
    ]
    # The agent hears of each of the partner's three moves, by email from the queue.
    run_ready_tasks("mail")
    to_agent = [m for m in mail.outbox if m.to == [world.users.agent.email]]
    assert len(to_agent) == 3
    assert "Résolue" in to_agent[-1].subject and "Droits ouverts." in to_agent[-1].body
    # A task run again sends nothing twice.
    run_ready_tasks("mail")
    assert len([m for m in mail.outbox if m.to == [world.users.agent.email]]) == 3


def test_a_partner_may_resolve_at_once_and_that_counts_as_taken_in_charge(world):
    t = services.resolve(world.users.referent_caf, send(world), "Réponse", now=NOW + HOUR)
    assert t.taken_at == t.closed_at == NOW + HOUR


def test_a_move_the_graph_does_not_allow_is_refused_in_french(world):
    t = send(world)
    with pytest.raises(DomainError, match="Passage impossible de « Transmise » à « Complétée"):
        services.answer(world.users.agent, t, "Réponse")
    t = services.refuse(world.users.referent_caf, t, "duplicate")
    with pytest.raises(DomainError, match="Passage impossible"):
        services.take_in_charge(world.users.referent_caf, t)


def test_a_referent_of_another_organisation_is_refused_and_nothing_changes(world):
    t = send(world)
    for user in (world.users.referent_msa, world.users.agent, world.users.prefecture):
        with pytest.raises(DomainError, match="Seuls les référents du partenaire destinataire"):
            services.take_in_charge(user, t)
    assert Transmission.objects.get(pk=t.pk).status == "sent"
    assert t.steps.count() == 1


def test_a_referent_does_not_answer_for_the_house(world):
    t = services.request_information(world.users.referent_caf, send(world), "Quelle date ?")
    with pytest.raises(DomainError, match="Seuls les agents de la maison"):
        services.answer(world.users.referent_caf, t, "Le 3 mars")
    with pytest.raises(DomainError, match="Seuls les agents de la maison"):
        services.answer(world.users.other_agent, t, "Le 3 mars")


def test_a_referent_of_a_withdrawn_partnership_no_longer_acts(world):
    t = send(world)
    world.caf.status, world.caf.left_on = "withdrawn", NOW.date()
    world.caf.save(update_fields=["status", "left_on"])
    with pytest.raises(DomainError, match="Seuls les référents"):
        services.take_in_charge(world.users.referent_caf, t)


def test_redirect_goes_to_another_partner_of_the_house_only(world):
    caf = world.users.referent_caf
    t = send(world)
    for target in (world.other_caf, world.caf, None):
        with pytest.raises(DomainError, match="autre partenaire de la maison"):
            services.redirect(caf, t, target)
    withdrawn = f.PartnershipFactory(
        house=world.house,
        partner=f.national_partner("cpam"),
        status="withdrawn",
        left_on=NOW.date(),
    )
    with pytest.raises(DomainError, match="autre partenaire de la maison"):
        services.redirect(caf, t, withdrawn)
    t = services.redirect(caf, t, world.ft, "France Travail suit son inscription.")
    assert t.status == "redirected" and t.redirected_to == world.ft


def test_refusal_needs_a_reason_from_the_list_and_a_text_for_other(world):
    caf = world.users.referent_caf
    t = send(world)
    for reason in ("", "pas envie"):
        with pytest.raises(DomainError, match="motif du refus dans la liste"):
            services.refuse(caf, t, reason)
    with pytest.raises(DomainError, match="Précisez le motif"):
        services.refuse(caf, t, "other", "  ")
    assert Transmission.objects.get(pk=t.pk).status == "sent"
    t = services.refuse(caf, t, "other", "Relève du département.")
    assert t.refusal_reason == "other" and t.steps.last().text == "Relève du département."


def test_texts_the_partner_must_give_are_required(world):
    caf = world.users.referent_caf
    t = send(world)
    with pytest.raises(DomainError, match="informations ou les pièces"):
        services.request_information(caf, t, "")
    with pytest.raises(DomainError, match="réponse apportée"):
        services.resolve(caf, t, " ")


def test_a_stale_version_is_refused_one_change_wins(world):
    """Two referents act on the page they opened at the same version: the first wins, the
    second reads that the transmission changed, and nothing of theirs is saved."""
    t = send(world)
    services.take_in_charge(world.users.referent_caf, t, version=t.version)
    with pytest.raises(
        StaleVersion, match="a changé depuis que vous l'avez ouverte \\(Prise en charge\\)"
    ):
        services.refuse(world.users.referent_caf, t, "duplicate", version=t.version)
    stored = Transmission.objects.get(pk=t.pk)
    assert stored.status == "taken" and stored.refusal_reason == ""


def test_the_house_shares_documents_only_with_the_persons_consent(world, private_media):
    t = services.request_information(world.users.referent_caf, send(world), "Un justificatif ?")
    with pytest.raises(DomainError, match="n'a pas accepté que des pièces soient partagées"):
        services.answer(world.users.agent, t, "Ci-joint", [pdf()])
    assert Transmission.objects.get(pk=t.pk).status == "info_requested"
    assert stored_files(private_media) == []
