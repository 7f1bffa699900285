"""The SMS backends (msap.lib.sms), pluggable like the mail ones: console, memory, files."""

import io

from msap.lib import sms


def test_the_locmem_backend_keeps_messages_for_tests(settings):
    settings.MSAP_SMS = {"BACKEND": "msap.lib.sms.LocmemBackend"}
    assert sms.send_sms("+33612345678", "Bonjour") == 1
    assert sms.outbox == [sms.SMS("+33612345678", "Bonjour")]


def test_the_file_backend_writes_one_file_per_process(settings, tmp_path):
    settings.MSAP_SMS = {
        "BACKEND": "msap.lib.sms.FileBackend",
        "OPTIONS": {"file_path": str(tmp_path / "sms")},
    }
    sms.send_sms("+33612345678", "Rendez-vous CAF")
    sms.send_sms("+33712345678", "Rappel")
    (path,) = (tmp_path / "sms").iterdir()
    text = path.read_text(encoding="utf-8")
    assert "To: +33612345678\nRendez-vous CAF" in text and "To: +33712345678\nRappel" in text


def test_the_console_backend_prints_each_message():
    stream = io.StringIO()
    backend = sms.ConsoleBackend(stream=stream)
    assert backend.send_messages([sms.SMS("+33612345678", "Bonjour")]) == 1
    assert "SMS à +33612345678 :\nBonjour" in stream.getvalue()
