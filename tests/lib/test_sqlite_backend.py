"""msap.lib.sqlite: the database file's directory is made on the first connection, never when
the settings are imported."""

from msap.lib.sqlite.base import DatabaseWrapper


def _settings(name: str) -> dict:
    return {
        "NAME": name,
        "ENGINE": "msap.lib.sqlite",
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def test_the_directory_appears_on_first_connection(tmp_path, django_db_blocker):
    path = tmp_path / "var" / "deep" / "msap.sqlite3"
    db = DatabaseWrapper(_settings(str(path)))
    assert not path.parent.exists()  # nothing made by building the wrapper
    with django_db_blocker.unblock():
        try:
            with db.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
        finally:
            db.close()
    assert path.exists()


def test_an_in_memory_database_makes_no_directory(tmp_path, monkeypatch, django_db_blocker):
    monkeypatch.chdir(tmp_path)
    db = DatabaseWrapper(_settings(":memory:"))
    with django_db_blocker.unblock():
        db.ensure_connection()
        db.close()
    assert list(tmp_path.iterdir()) == []
