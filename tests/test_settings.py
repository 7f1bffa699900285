"""The settings module: the demo secret key only where it is harmless, nothing made on disk."""

import os
import runpy
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

import msap.settings
from msap.lib import env

MODES = ("MSAP_DEMO", "MSAP_DEBUG", "DEBUG", "MSAP_TESTING", "MSAP_SECRET_KEY", "SECRET_KEY")


@pytest.fixture
def environ(monkeypatch, tmp_path):
    """An environment with no mode and no secret key, the data directory not yet there."""
    for name in MODES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MSAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(env, "_warned", set())
    return monkeypatch


def load_settings() -> dict:
    """A fresh run of msap/settings.py, apart from the settings this test process uses."""
    return runpy.run_path(msap.settings.__file__)


def test_the_demo_secret_key_is_refused_outside_demo_debug_and_tests(environ):
    with pytest.raises(ImproperlyConfigured, match="MSAP_SECRET_KEY is not set"):
        load_settings()


def test_the_demo_secret_key_is_refused_even_when_set_explicitly(environ):
    environ.setenv("MSAP_SECRET_KEY", msap.settings.DEMO_SECRET_KEY)
    with pytest.raises(ImproperlyConfigured, match="MSAP_SECRET_KEY"):
        load_settings()


@pytest.mark.parametrize("mode", ["MSAP_DEMO", "MSAP_DEBUG", "MSAP_TESTING"])
def test_the_demo_secret_key_runs_a_demo_a_debug_server_and_the_tests(environ, mode):
    environ.setenv(mode, "true")
    assert load_settings()["SECRET_KEY"] == msap.settings.DEMO_SECRET_KEY


def test_a_secret_key_of_ones_own_runs_anywhere(environ):
    environ.setenv("MSAP_SECRET_KEY", "a-long-random-secret-of-this-deployment-0123456789")
    settings = load_settings()
    assert settings["SECRET_KEY"] == "a-long-random-secret-of-this-deployment-0123456789"
    assert settings["DEBUG"] is False


def test_every_test_run_is_in_test_mode(settings):
    """tests/settings.py: a bare `pytest` hashes with MD5 and has no lockout, like `make test`."""
    assert settings.TESTING is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.AXES_ENABLED is False


def test_importing_the_settings_makes_no_directory(environ, tmp_path):
    environ.setenv("MSAP_TESTING", "true")
    settings = load_settings()
    assert settings["DATA_DIR"] == tmp_path / "data"
    assert not (tmp_path / "data").exists()


def test_django_starts_without_making_directories_until_the_database_connects(tmp_path):
    """A fresh interpreter, a clean environment: django.setup() makes nothing; the first
    connection makes the SQLite file's directory; a former name is read and warned about."""
    data = tmp_path / "data"
    script = (
        "import django, pathlib, sys\n"
        "django.setup()\n"
        f"data = pathlib.Path({str(data)!r})\n"
        "print(data.exists())\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "print((data / 'msap.sqlite3').exists())\n"
    )
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "msap.settings",
        "MSAP_DATA_DIR": str(data),
        "SECRET_KEY": "a-long-random-secret-of-this-deployment-0123456789",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
    assert "SECRET_KEY is deprecated: set MSAP_SECRET_KEY instead" in result.stderr
