"""Meetings of a house's steering committee (art. 6): who is invited, the agenda, the minutes,
presence, decisions and progress axes. Every refusal is French and saves nothing; a double
submission creates one meeting; concurrent edits of the minutes never silently overwrite."""

from datetime import date, time

import pytest

from msap.committees import services
from msap.committees.models import AxisStatus, Meeting, MemberKind, Presence, ProgressAxis
from msap.core.errors import DomainError, IdempotencyConflict, StaleVersion
from msap.core.models import JournalEntry
from tests.committees.conftest import docx, hold, pdf, plan, stored_files


def test_members_are_the_signatories_the_prefect_and_the_departmental_cell(world):
    meeting = plan(world)
    members = {(m.kind, m.organisation, m.name, m.email) for m in meeting.members.all()}
    kinds = [m.kind for m in meeting.members.all()]
    assert kinds.count(MemberKind.PARTNER) == 2  # the CAF and France Travail of the house
    assert (MemberKind.GESTIONNAIRE, world.house.organisation.name) in {
        (k, o) for k, o, _n, _e in members
    }
    assert any(k == MemberKind.PARTNER and n == "Claire Dumont" for k, _o, n, _e in members)
    assert MemberKind.PREFECT in kinds
    # The département's cell account is invited by its address.
    assert any(
        k == MemberKind.DEPARTEMENT and e == "prefecture@test.fr" for k, _o, _n, e in members
    )
    assert [a.title for a in meeting.agenda.all()] == [
        "Bilan de l'année",
        "Enquête de satisfaction",
        "Axes de progrès",
    ]
    assert JournalEntry.objects.filter(action="committee.plan", house_id=world.house.pk).exists()


def test_a_double_submission_creates_one_meeting(world):
    first = plan(world, key="cle-1")
    again = plan(world, key="cle-1")
    assert first.pk == again.pk and Meeting.objects.count() == 1


def test_the_same_key_with_another_meeting_is_refused(world):
    plan(world, key="cle-1")
    with pytest.raises(IdempotencyConflict):
        plan(world, key="cle-1", day=date(2026, 4, 1))
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    "day, message",
    [
        (date(1999, 12, 31), "Date trop ancienne"),
        (date(2099, 1, 1), "Date trop lointaine"),
    ],
)
def test_an_implausible_meeting_date_is_refused_and_nothing_saved(world, day, message):
    with pytest.raises(DomainError) as exc:
        plan(world, day=day)
    assert message in exc.value.message
    assert Meeting.objects.count() == 0


def test_a_meeting_without_place_is_refused(world):
    with pytest.raises(DomainError, match="lieu"):
        plan(world, place="  ")
    assert Meeting.objects.count() == 0


def test_minutes_for_a_meeting_in_the_future_are_refused_and_nothing_saved(world, private_media):
    meeting = plan(world, day=date(2026, 4, 2))
    with pytest.raises(DomainError, match="pas encore eu lieu"):
        hold(world, meeting, upload=pdf())
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.status == "planned" and meeting.version == 1
    assert not meeting.decisions.exists() and stored_files(private_media) == []


def test_presence_for_a_meeting_in_the_future_is_refused(world):
    meeting = plan(world, day=date(2026, 4, 2))
    member = meeting.members.first()
    with pytest.raises(DomainError, match="pas encore eu lieu"):
        services.record_presence(
            world.users.responsable,
            meeting,
            version=meeting.version,
            presences={member.pk: Presence.PRESENT},
        )
    member.refresh_from_db()
    assert member.presence == Presence.INVITED


def test_minutes_and_decisions_make_the_meeting_held(world):
    meeting = hold(world, plan(world), decisions=["Première décision", "Seconde décision"])
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.version == 2
    assert [d.text for d in meeting.decisions.all()] == ["Première décision", "Seconde décision"]


def test_minutes_as_a_file_are_stored_under_a_random_name(world, private_media):
    meeting = hold(world, plan(world), minutes="", upload=docx())
    assert meeting.minutes_file_kind == "docx" and meeting.minutes_file_name == "compte-rendu.docx"
    assert len(stored_files(private_media)) == 1
    assert "compte-rendu" not in meeting.minutes_file.name


def test_a_minutes_file_of_a_forbidden_type_is_refused(world, private_media):
    meeting = plan(world)
    with pytest.raises(DomainError, match="Type de fichier refusé"):
        hold(world, meeting, upload=pdf("image.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50))
    assert stored_files(private_media) == []


def test_a_minutes_file_too_large_is_refused(world, settings, private_media):
    settings.MSAP_MAX_UPLOAD_BYTES = 50
    with pytest.raises(DomainError, match="trop volumineux"):
        hold(world, plan(world), upload=pdf())
    assert stored_files(private_media) == []


def test_empty_minutes_are_refused(world):
    with pytest.raises(DomainError, match="compte rendu"):
        hold(world, plan(world), minutes="  ")


def test_concurrent_edits_of_the_minutes_never_silently_overwrite(world):
    meeting = plan(world)
    read_by_a = Meeting.objects.get(pk=meeting.pk)
    read_by_b = Meeting.objects.get(pk=meeting.pk)
    hold(world, read_by_a, minutes="Version de A")
    with pytest.raises(StaleVersion):
        hold(world, read_by_b, minutes="Version de B")
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Version de A"


def test_presence_is_recorded_after_the_meeting(world):
    meeting = plan(world)
    members = list(meeting.members.all())
    services.record_presence(
        world.users.responsable,
        meeting,
        version=meeting.version,
        presences={members[0].pk: Presence.PRESENT, members[1].pk: Presence.EXCUSED},
    )
    assert [m.presence for m in meeting.members.all()][:2] == [Presence.PRESENT, Presence.EXCUSED]


def test_presence_of_someone_not_invited_is_refused(world):
    meeting = plan(world)
    other = plan(world, day=date(2025, 2, 1)).members.first()
    with pytest.raises(DomainError, match="pas invité"):
        services.record_presence(
            world.users.responsable, meeting, version=1, presences={other.pk: Presence.PRESENT}
        )


def test_progress_axes_follow_their_status_graph(world):
    meeting = hold(world, plan(world))
    axis = services.add_axis(
        world.users.responsable,
        meeting,
        title="Réduire le délai de réponse aux courriels",
        owner="Responsable de la maison",
        due_on=date(2026, 12, 31),
    )
    assert axis.available_statuses() == [
        AxisStatus.IN_PROGRESS,
        AxisStatus.DONE,
        AxisStatus.ABANDONED,
    ]
    services.move_axis(world.users.responsable, axis, status=AxisStatus.DONE, version=1)
    with pytest.raises(DomainError, match="Passage impossible"):
        services.move_axis(world.users.responsable, axis, status=AxisStatus.ABANDONED, version=2)
    assert ProgressAxis.objects.get().status == AxisStatus.DONE


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"title": ""}, "axe de progrès"),
        ({"owner": ""}, "qui porte"),
        ({"due_on": date(2026, 1, 1)}, "après la réunion"),
        ({"due_on": date(2099, 1, 1)}, "trop lointaine"),
    ],
)
def test_a_bad_axis_is_refused(world, kwargs, message):
    meeting = plan(world)
    values = {"title": "Axe", "owner": "Gestionnaire", "due_on": date(2026, 12, 31), **kwargs}
    with pytest.raises(DomainError, match=message):
        services.add_axis(world.users.responsable, meeting, **values)
    assert ProgressAxis.objects.count() == 0


def test_a_cancelled_meeting_has_no_minutes(world):
    meeting = plan(world)
    services.set_meeting_status(world.users.gestionnaire, meeting, status="cancelled", version=1)
    with pytest.raises(DomainError, match="annulée"):
        hold(world, meeting)


def test_an_extra_member_needs_a_valid_address(world):
    meeting = plan(world)
    with pytest.raises(DomainError, match="pas valide"):
        services.add_member(
            world.users.responsable,
            meeting,
            kind=MemberKind.OTHER,
            name="Élu",
            organisation="Commune",
            email="pas-une-adresse",
        )
    member = services.add_member(
        world.users.responsable,
        meeting,
        kind=MemberKind.OTHER,
        name="Jeanne Élue",
        organisation="Commune de Tulle",
        email="jeanne@tulle.fr",
    )
    assert member.meeting_id == meeting.pk


def test_the_meeting_time_is_the_house_local_time(world):
    meeting = plan(world, at=time(9, 30))
    assert meeting.starts_at.astimezone(world.house.tz).time() == time(9, 30)
