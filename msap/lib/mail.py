"""A mail backend for machines without a mail server: each message written to a file.

Django's file backend names its file after the time and the backend object's address; processes
forked from one parent (workers started by a supervisor that forks) can hold objects at the same address
and would append to one file, mixing their messages. This one adds the process id.
"""

import datetime
import os

from django.core.mail.backends.filebased import EmailBackend as FileBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class EmailBackend(FileBackend):
    def _get_filename(self):
        if self._fname is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            self._fname = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{id(self)}.log")
        return self._fname


def read_messages(directory) -> list:
    """The messages written in `directory` by this backend (or Django's), parsed back."""
    import email
    import email.policy
    from pathlib import Path

    messages = []
    for path in sorted(Path(directory).glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages
