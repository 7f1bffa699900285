"""`msap token EMAIL`: issues a personal API token (printed once), or revokes them all."""

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command

from msap.core.models import JournalEntry
from msap.people.models import ApiToken


def referents_url(house):
    return f"/api/v1/houses/{house.pk}/referents"


def run_token(*args):
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_console(capsys, monkeypatch, *args):
    """As from a shell: `msap token …`, returning (exit code, stdout, stderr)."""
    # The console path closes every connection on exit, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["msap", "token", *args]).execute()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_token_command_prints_one_line_with_a_token_that_works(client, world):
    out, _err = run_token("Agent@Test.fr", "--label", "logiciel RH")

    assert out.count("\n") == 1
    token = out.strip()
    assert token.startswith("msap_")
    stored = ApiToken.objects.get(user=world.users.agent)
    assert stored.label == "logiciel RH"
    assert stored.digest == ApiToken.hash(token)
    response = client.get(referents_url(world.house), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert JournalEntry.objects.filter(action="api_token.issued").count() == 1


def test_unknown_email_exits_1_with_a_french_message_and_no_token(capsys, monkeypatch, world):
    code, out, err = run_console(capsys, monkeypatch, "inconnu@test.fr")

    assert code == 1
    assert out == ""
    assert "Aucun compte n'existe avec l'adresse « inconnu@test.fr »" in err
    assert not ApiToken.objects.exists()


def test_inactive_account_exits_1_with_a_french_message_and_no_token(capsys, monkeypatch, world):
    world.users.agent.is_active = False
    world.users.agent.save(update_fields=["is_active"])

    code, out, err = run_console(capsys, monkeypatch, "agent@test.fr")

    assert code == 1
    assert out == ""
    assert "est désactivé" in err
    assert not ApiToken.objects.exists()


def test_revoke_all_revokes_every_token_of_the_user_only(client, world):
    first, _ = run_token("agent@test.fr")
    second, _ = run_token("agent@test.fr")
    others, _ = run_token("responsable@test.fr")

    out, _err = run_token("agent@test.fr", "--revoke-all")

    assert "2 jeton(s) révoqué(s)" in out
    for token in (first, second):
        response = client.get(
            referents_url(world.house), headers={"Authorization": f"Bearer {token.strip()}"}
        )
        assert response.status_code == 401
    response = client.get(
        referents_url(world.house), headers={"Authorization": f"Bearer {others.strip()}"}
    )
    assert response.status_code == 200


def test_revoke_all_works_for_a_deactivated_account(world):
    run_token("agent@test.fr")
    world.users.agent.is_active = False
    world.users.agent.save(update_fields=["is_active"])

    out, _err = run_token("agent@test.fr", "--revoke-all")

    assert "1 jeton(s) révoqué(s)" in out
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def test_too_long_label_is_refused_and_no_token_issued(capsys, monkeypatch, world):
    code, out, err = run_console(capsys, monkeypatch, "agent@test.fr", "--label", "x" * 101)

    assert code == 1
    assert out == ""
    assert "100 caractères" in err
    assert not ApiToken.objects.exists()
