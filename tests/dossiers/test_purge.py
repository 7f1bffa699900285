"""Retention (SPEC "Confidentiality"): inactive files are anonymised by an idempotent command."""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from msap.core.models import JournalEntry
from msap.desk.models import ServiceRequest
from msap.dossiers import rules, services
from msap.dossiers.models import (
    AccessAction,
    Dossier,
    DossierAccess,
    DossierStatus,
    FollowUp,
)
from msap.dossiers.queries import dossier_of
from msap.lib.dates import add_months
from tests import factories as f
from tests.dossiers import PDF


@pytest.fixture(autouse=True)
def retention_of_24_months(settings):
    settings.MSAP_DOSSIER_RETENTION_MONTHS = 24


NOW = datetime(2026, 6, 15, 10, tzinfo=UTC)


def inactive_for(world, months: int, **identity) -> Dossier:
    return f.DossierFactory(house=world.house, now=add_months(NOW, -months), **identity)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_dossiers", *args, stdout=out)
    return out.getvalue()


def test_a_file_inactive_25_months_is_anonymised_one_inactive_23_months_is_kept(one_house):
    old = inactive_for(one_house, 25, last_name="Ancien")
    recent = inactive_for(one_house, 23, last_name="Recent")
    assert services.anonymise_inactive(now=NOW) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == DossierStatus.ANONYMISED
    assert old.closed_at == NOW
    assert all(getattr(old, field) in ("", None) for field in rules.IDENTITY_FIELDS)
    assert recent.status == DossierStatus.ACTIVE
    assert recent.last_name == "Recent"


def test_a_file_exactly_at_the_end_of_its_retention_period_is_kept(one_house):
    kept = inactive_for(one_house, 24)
    assert services.anonymise_inactive(now=NOW) == 0
    kept.refresh_from_db()
    assert kept.status == DossierStatus.ACTIVE


def test_anonymisation_removes_follow_ups_and_documents_and_keeps_requests_anonymous(
    one_house, private_media, django_capture_on_commit_callbacks
):
    dossier = inactive_for(one_house, 30)
    request = f.ServiceRequestFactory(
        house=one_house.house, dossier=dossier, notes="Rappeler Mme Ancienne"
    )
    note = "Dossier APL en cours"
    FollowUp.objects.create(dossier=dossier, author=one_house.users.agent, note=note)
    document = services.add_document(
        one_house.users.agent, dossier, SimpleUploadedFile("avis.pdf", PDF)
    )
    # add_document is activity: put the file back in the past.
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=add_months(NOW, -30))
    path = private_media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.anonymise_inactive(now=NOW) == 1
    assert not FollowUp.objects.filter(dossier=dossier).exists()
    assert not dossier.documents.exists()
    assert not path.exists()
    request.refresh_from_db()
    assert (dossier_of(request), request.notes) == (None, "")
    assert ServiceRequest.objects.filter(pk=request.pk).exists()
    assert DossierAccess.objects.get(dossier=dossier, action=AccessAction.ANONYMISE).user is None
    entry = JournalEntry.objects.get(action="dossier.anonymised")
    assert entry.house_id == one_house.house.pk
    assert entry.actor is None
    assert "Ancienne" not in json.dumps(
        [entry.summary, entry.params, entry.changes]
    ) and "Vandermeersch" not in json.dumps([entry.summary, entry.params])


def test_a_second_run_anonymises_nothing_more(one_house):
    inactive_for(one_house, 25)
    inactive_for(one_house, 40)
    assert services.anonymise_inactive(now=NOW) == 2
    assert services.anonymise_inactive(now=NOW) == 0
    assert JournalEntry.objects.filter(action="dossier.anonymised").count() == 2
    assert DossierAccess.objects.filter(action=AccessAction.ANONYMISE).count() == 2


def test_erased_files_are_not_anonymised_again(one_house):
    dossier = inactive_for(one_house, 30)
    services.erase_dossier(one_house.users.agent, dossier)
    assert services.anonymise_inactive(now=NOW) == 0
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ERASED


def test_a_dry_run_changes_nothing(one_house):
    dossier = inactive_for(one_house, 25)
    assert services.anonymise_inactive(now=NOW, dry_run=True) == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE
    assert dossier.last_name == "Vandermeersch"
    assert not JournalEntry.objects.filter(action="dossier.anonymised").exists()


def test_files_are_processed_in_batches_until_none_is_left(one_house):
    for months in range(25, 32):
        inactive_for(one_house, months)
    progress = []
    assert services.anonymise_inactive(now=NOW, batch_size=3, progress=progress.append) == 7
    assert progress == [3, 6, 7]
    assert not Dossier.objects.filter(status=DossierStatus.ACTIVE).exists()


def test_a_file_claimed_by_a_concurrent_run_is_not_processed_twice(one_house):
    """The claim is UPDATE ... WHERE status='active': the loser of a race changes nothing."""
    dossier = inactive_for(one_house, 30)
    cutoff = rules.retention_cutoff(NOW)
    first = services._claim_and_strip(
        dossier.pk, dossier.house_id, DossierStatus.ANONYMISED, NOW, cutoff=cutoff
    )
    second = services._claim_and_strip(
        dossier.pk, dossier.house_id, DossierStatus.ANONYMISED, NOW, cutoff=cutoff
    )
    assert first is not None
    assert second is None
    assert DossierAccess.objects.filter(dossier=dossier, action=AccessAction.ANONYMISE).count() == 1


def test_a_file_active_again_before_the_claim_is_kept(one_house):
    """Activity between the listing and the claim wins: the claim re-checks last_activity_at."""
    dossier = inactive_for(one_house, 30)
    cutoff = rules.retention_cutoff(NOW)
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=NOW)
    assert (
        services._claim_and_strip(
            dossier.pk, dossier.house_id, DossierStatus.ANONYMISED, NOW, cutoff=cutoff
        )
        is None
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE


# --- the command ----------------------------------------------------------------------------------


def test_the_command_says_how_many_files_it_anonymised(one_house):
    for months in (25, 26, 27):
        inactive_for(one_house, months)
    inactive_for(one_house, 2)
    out = purge("--now", "2026-06-15")
    assert "3 dossiers anonymisés." in out
    assert "Durée de conservation : 24 mois" in out
    assert Dossier.objects.filter(status=DossierStatus.ANONYMISED).count() == 3


def test_the_command_says_when_there_is_nothing_to_anonymise(one_house):
    inactive_for(one_house, 25)
    purge("--now", "2026-06-15")
    assert "Aucun dossier à anonymiser." in purge("--now", "2026-06-15")


def test_the_command_dry_run_reports_and_changes_nothing(one_house):
    inactive_for(one_house, 25)
    out = purge("--dry-run", "--now", "2026-06-15")
    assert "1 dossier serait anonymisé (simulation : rien n'a été modifié)." in out
    assert Dossier.objects.get().status == DossierStatus.ACTIVE


def test_the_command_refuses_a_malformed_date(one_house):
    with pytest.raises(CommandError, match="Date invalide : « 15/06/2026 »"):
        purge("--now", "15/06/2026")


def test_the_command_uses_the_current_date_by_default(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    assert "Aucun dossier à anonymiser." in purge()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE
