"""Pluggable SMS backends, the way Django's mail backends are: `MSAP_SMS_BACKEND` names a class
with `send_messages(messages) -> int`, and `send_sms(to, body)` goes through it.

Shipped: the console (demo and development: each SMS printed), the local memory one (tests read
`sms.outbox`) and a file one (one file per process, for a machine without an SMS provider). A
provider's backend (an operator's HTTP API) is a class of the same shape named in the setting.
"""

import datetime
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# What tests read, like django.core.mail.outbox.
outbox: list = []


@dataclass(frozen=True)
class SMS:
    to: str
    body: str


class BaseBackend:
    def __init__(self, **options):
        self.options = options

    def send_messages(self, messages: list[SMS]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages):
        stream = self.options.get("stream") or sys.stdout
        for message in messages:
            stream.write(f"SMS à {message.to} :\n{message.body}\n{'-' * 79}\n")
        stream.flush()
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


class FileBackend(BaseBackend):
    """Each process appends to its own file in `file_path` (MSAP_SMS_FILE_PATH)."""

    _lock = threading.Lock()

    def send_messages(self, messages):
        directory = Path(self.options["file_path"])
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.date.today().strftime("%Y%m%d")
        path = directory / f"{stamp}-{os.getpid()}.log"
        with self._lock, path.open("a", encoding="utf-8") as out:
            for message in messages:
                out.write(f"To: {message.to}\n{message.body}\n{'-' * 79}\n")
        return len(messages)


def get_backend() -> BaseBackend:
    config = settings.MSAP_SMS
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def send_sms(to: str, body: str) -> int:
    return get_backend().send_messages([SMS(to=to, body=body)])
