"""msap.lib.mail: the file backend writes each connection's messages to a file of its own
(named with the process id) and reads them back; the mass-send message builds the same bytes as
Django's."""

import email.policy
import os

from django.core.mail import EmailMessage

from msap.lib import mail
from msap.lib.mail import EmailBackend, read_messages


def send(directory, subject: str, to: str) -> None:
    backend = EmailBackend(file_path=str(directory))
    backend.send_messages([EmailMessage(subject, "Corps", "maison@exemple.fr", [to])])


def test_messages_written_to_files_are_read_back(tmp_path):
    send(tmp_path, "Horaires modifiés", "a@exemple.fr")
    send(tmp_path, "Deuxième", "b@exemple.fr")
    files = list(tmp_path.glob("*.log"))
    # One file per connection, named by time and connection: two connections within the same
    # second may share a name (Django's file backend), so the messages count, not the files.
    assert files
    assert all(f"-{os.getpid()}-" in f.name for f in files)
    messages = read_messages(tmp_path)
    assert sorted(m["Subject"] for m in messages) == ["Deuxième", "Horaires modifiés"]
    assert {m["To"] for m in messages} == {"a@exemple.fr", "b@exemple.fr"}


def test_an_empty_directory_holds_no_message(tmp_path):
    assert read_messages(tmp_path) == []


def test_the_mass_send_message_is_the_same_bytes_as_djangos_under_each_policy():
    # The register digests are built with header classes made once (msap.lib.mail): the
    # messages must not change by a byte, accents in the subject (RFC 2047) included.
    fixed = {"Message-ID": "<1@msap.local>", "Date": "Tue, 10 Mar 2026 09:00:00 +0100"}
    args = ("msap — 3 élément(s) en retard", "Bonjour Claire,\n« échéance »", None, ["c@ex.fr"])
    for policy in (email.policy.default, email.policy.SMTP):
        ours = mail.EmailMessage(*args, headers=fixed).message(policy=policy)
        django = EmailMessage(*args, headers=fixed).message(policy=policy)
        assert ours.as_bytes() == django.as_bytes()
    policy = mail.EmailMessage(*args).message(policy=email.policy.SMTP).policy
    assert policy.header_factory["Subject"] is policy.header_factory["subject"]
