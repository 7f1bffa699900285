"""Mail helpers: a message cheaper to build for mass sends, and a backend for machines without a
mail server (each message written to a file).

Django's file backend names its file after the time and the backend object's address; processes
forked from one parent (workers started by a supervisor that forks) can hold objects at the same address
and would append to one file, mixing their messages. This one adds the process id.
"""

import datetime
import email.policy
import os
from email.headerregistry import HeaderRegistry

from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class _HeaderClasses(HeaderRegistry):
    """CPython's header registry makes a new class for every header it parses (`type()` in
    `__getitem__`): a quarter of the time of building a short message. This one makes each
    header's class once; the messages are the same bytes."""

    def __init__(self, registry: HeaderRegistry):
        super().__init__(registry.base_class, registry.default_class, use_default_map=False)
        self.registry = dict(registry.registry)
        self._classes = {}

    def __getitem__(self, name):
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]


_policies: dict = {}


def _with_header_classes(policy):
    if not isinstance(policy.header_factory, HeaderRegistry):
        return policy
    if policy not in _policies:
        _policies[policy] = policy.clone(header_factory=_HeaderClasses(policy.header_factory))
    return _policies[policy]


class EmailMessage(DjangoEmailMessage):
    """Django's message, built under the backend's policy with header classes made once per
    process: for jobs that build thousands of mails (the register digests)."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_with_header_classes(policy))


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
