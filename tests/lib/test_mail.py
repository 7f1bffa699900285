"""msap.lib.mail: the file backend writes each connection's messages to a file of its own
(named with the process id) and reads them back."""

import os

from django.core.mail import EmailMessage

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
