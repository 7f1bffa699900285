"""The journal: append-only evidence of who did what (charter evidence, audits)."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from msap.core import journal
from msap.core.models import JournalEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    house = f.HouseFactory(with_defaults=False)
    return journal.record(
        f.UserFactory(), "house.updated", house, summary="Identité de la maison modifiée"
    )


def test_journal_entry_cannot_be_updated(entry):
    """Append-only journal: an entry, once written, cannot be edited through the application."""
    entry.summary = "Réécriture de l'histoire"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert JournalEntry.objects.get(pk=entry.pk).summary == "Identité de la maison modifiée"


def test_journal_entry_cannot_be_deleted(entry):
    """Append-only journal: an entry cannot be deleted through the application."""
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_record_stores_actor_action_target_and_house():
    """Journal: each entry says who did what to which record, and in which house."""
    actor = f.UserFactory(email="responsable.journal@test.fr")
    house = f.HouseFactory(with_defaults=False)
    entry = journal.record(
        actor,
        "house.updated",
        house,
        summary="Téléphone modifié",
        changes={"phone": ["05 55 00 00 00", "05 55 11 11 11"]},
    )
    stored = JournalEntry.objects.get(pk=entry.pk)
    assert stored.actor == actor
    assert (stored.action, stored.target_type, stored.target_id) == (
        "house.updated",
        "network.house",
        str(house.pk),
    )
    assert stored.house_id == house.pk
    assert stored.summary == "Téléphone modifié"
    assert stored.changes == {"phone": ["05 55 00 00 00", "05 55 11 11 11"]}
    assert stored.at is not None


def test_record_takes_the_house_of_a_record_that_belongs_to_one():
    """Journal: an entry about a partnership appears in its house's history."""
    partnership = f.PartnershipFactory()
    entry = journal.record(None, "partnership.added", partnership)
    assert entry.house_id == partnership.house_id
    assert entry.target_type == "partners.partnership"


def test_record_accepts_an_explicit_house():
    """Journal: a record without a house field (a referent) is filed under the house given."""
    referent = f.ReferentFactory()
    entry = journal.record(None, "referent.added", referent, house_id=referent.partnership.house_id)
    assert entry.house_id == referent.partnership.house_id


def test_record_by_an_anonymous_visitor_or_a_job_has_no_actor():
    """Journal: actions of the public or of scheduled jobs are recorded without an account."""
    house = f.HouseFactory(with_defaults=False)
    assert journal.record(AnonymousUser(), "complaint.filed", house).actor is None
    assert journal.record(None, "job.reminder", house).actor is None


def test_long_summary_is_cut_to_fit():
    """Journal: a long summary never makes the action fail."""
    house = f.HouseFactory(with_defaults=False)
    entry = journal.record(None, "house.updated", house, summary="x" * 500)
    assert len(JournalEntry.objects.get(pk=entry.pk).summary) == 300


def test_diff_lists_only_changed_fields_as_plain_values():
    """Journal: the changes kept are the fields that differ, stored as JSON-friendly values."""
    house = f.HouseFactory(with_defaults=False, commune=f.commune("19272"))
    changes = journal.diff(
        house,
        {"phone": house.phone, "commune": f.commune("19275"), "recognised_on": date(2025, 5, 1)},
    )
    assert changes == {"commune": ["19272", "19275"], "recognised_on": ["2024-01-15", "2025-05-01"]}


def test_the_journal_refuses_bulk_updates_and_deletes(one_house):
    """Evidence for audits: no bulk path around the append-only guard either."""
    import pytest

    from msap.core import journal
    from msap.core.models import JournalEntry

    journal.record(one_house.users.agent, "test.action", one_house.house, summary="preuve")
    with pytest.raises(ValueError, match="append-only"):
        JournalEntry.objects.filter(action="test.action").update(summary="effacée")
    with pytest.raises(ValueError, match="append-only"):
        JournalEntry.objects.filter(action="test.action").delete()
    assert JournalEntry.objects.filter(action="test.action", summary="preuve").count() == 1


# --- read back in the reader's language (issue "A day at the counter", point 5) ---------------


def test_an_entry_is_stored_language_neutral_and_read_in_the_readers_language():
    """The history is not stored as French sentences: a msgid and parameters, rendered when read.
    An English reader reads English, though the entry was written in a French session."""
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from msap.registers.models import Status

    house = f.HouseFactory(with_defaults=False)
    with translation.override("fr"):
        entry = journal.record(
            None,
            "house.closed",
            house,
            summary=gettext_noop("Fermée le %(on)s"),
            params={"on": date(2026, 12, 24), "status": Status.IN_PROGRESS.label},
        )
    assert entry.summary == "Fermée le %(on)s"
    assert entry.params == {"on": {"$date": "2026-12-24"}, "status": {"$text": "En cours"}}
    with translation.override("fr"):
        assert journal.describe(entry) == "Fermée le 24 décembre 2026"
    with translation.override("en"):
        assert journal.describe(entry) == "Closed on Dec. 24, 2026"


def test_changes_read_with_field_names_and_choice_labels_never_raw_codes():
    from django.utils import translation

    from msap.core.models import JournalEntry

    entry = JournalEntry(
        target_type="registers.registeritem",
        target_id="1",
        changes={"status": ["new", "in_progress"], "fields": ["sender_email", "subject"]},
    )
    with translation.override("fr"):
        rows = {c.label: c for c in journal.describe_changes(entry)}
    assert (rows["statut"].before, rows["statut"].after) == ("Nouveau", "En cours")
    assert "new" not in str(rows) and "sender_email" not in rows["champs"].before
    with translation.override("en"):
        rows = {c.label: c for c in journal.describe_changes(entry)}
    assert (rows["status"].before, rows["status"].after) == ("New", "In progress")


def test_an_old_entry_holding_a_french_sentence_is_shown_as_it_is():
    house = f.HouseFactory(with_defaults=False)
    entry = journal.record(None, "house.updated", house, summary="Identité modifiée à 100 %")
    assert journal.describe(entry) == "Identité modifiée à 100 %"


# --- the callers write messages with parameters: an entry recorded, read in French and English ---


def _read(entry, language):
    from django.utils import translation

    with translation.override(language):
        return journal.describe(entry), [
            (c.label, c.before, c.after) for c in journal.describe_changes(entry)
        ]


def test_a_status_change_reads_its_status_labels_in_the_readers_language(world):
    """Issue 15, point 5: the history says "Nouveau → En cours", never "new → in_progress",
    and an English reader reads "New → In progress" of the same entry."""
    from msap.registers import services

    item = f.RegisterItemFactory(house=world.house)
    services.set_status(world.users.agent, item, "in_progress", item.version)
    entry = JournalEntry.objects.get(action="register.status", target_id=str(item.pk))
    assert entry.summary == "%(before)s → %(after)s"
    assert _read(entry, "fr") == ("Nouveau → En cours", [("statut", "Nouveau", "En cours")])
    assert _read(entry, "en") == ("New → In progress", [("status", "New", "In progress")])
    recorded = JournalEntry.objects.get(action="register.recorded", target_id=str(item.pk))
    assert _read(recorded, "fr")[0] == f"Courrier arrivé n°{item.number} enregistré"
    assert _read(recorded, "en")[0] == f"Incoming mail no. {item.number} recorded"


def test_a_field_change_reads_the_fields_names_in_the_readers_language(world):
    """Issue 15, point 5: an edit of a personal file lists its fields by name ("prénom, nom"),
    never as "['first_name', 'last_name']", and in English for an English reader."""
    from msap.dossiers import services

    dossier = services.open_dossier(
        world.users.agent,
        world.house,
        consent_purpose="Suivi des démarches de retraite",
        consent_given=True,
        first_name="Héloïse",
        last_name="Vandermeersch",
    )
    services.update_dossier(
        world.users.agent,
        dossier,
        {"first_name": "Eloïse", "last_name": "Vander", "email": "e.vander@exemple.fr"},
        dossier.version,
    )
    entry = JournalEntry.objects.get(action="dossier.updated")
    assert _read(entry, "fr") == (
        f"Dossier usager n°{dossier.pk} modifié",
        [("champs", "prénom, nom, adresse électronique", None)],
    )
    assert _read(entry, "en") == (
        f"Personal file no. {dossier.pk} edited",
        [("fields", "first name, name, email address", None)],
    )


def test_the_house_history_page_reads_entries_in_the_readers_language(world, client):
    """The house history renders each entry at display time: a closure journalled in French is
    read in English on the English page, and an entry stored before (a French sentence) still
    shows as it was written."""
    from django.conf import settings
    from django.urls import reverse

    from msap.network import services

    services.add_closure(
        world.users.responsable,
        world.house,
        start_date=date(2026, 12, 24),
        end_date=date(2026, 12, 26),
        reason="Noël",
    )
    journal.record(None, "house.closed", world.house, summary="Fermée le 02/01/2020")
    client.force_login(world.users.responsable)
    url = reverse("house_history", args=[world.house.pk])
    page = client.get(url).content.decode()
    assert "Fermeture du 24 décembre 2026 au 26 décembre 2026" in page
    assert "Fermée le 02/01/2020" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "Closed from Dec. 24, 2026 to Dec. 26, 2026" in page
    assert "Fermeture du" not in page
    assert "Fermée le 02/01/2020" in page
