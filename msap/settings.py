"""msap settings: every value comes from the environment, with defaults that run the demo.

SQLite (WAL) by default so that a single house runs with no setup; PostgreSQL for a network
through MSAP_DATABASE_URL. Every variable is named MSAP_…; the former unprefixed names (`old=`)
still work with a deprecation warning. See README "Configuration" for the full list. Importing
this module creates nothing on disk: the SQLite file's directory is made on the first
connection (msap/lib/sqlite), the static files' one by `collectstatic`.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from msap.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("MSAP_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("MSAP_DEBUG", False, old="DEBUG")
# Demo mode: the fixed demo accounts (password "demo-msap") are accepted only when this is on.
DEMO_MODE = env_bool("MSAP_DEMO", False)
# Test mode (set by tests/settings.py for every test run): fast hashing, no login lockout.
TESTING = env_bool("MSAP_TESTING", False)

# The built-in key is public: sessions and password-reset links signed with it could be forged,
# so it runs only a demo, a debug server or the tests.
DEMO_SECRET_KEY = "msap-demo-insecure-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("MSAP_SECRET_KEY", DEMO_SECRET_KEY, old="SECRET_KEY")
if SECRET_KEY == DEMO_SECRET_KEY and not (DEMO_MODE or DEBUG or TESTING):
    raise ImproperlyConfigured(
        "MSAP_SECRET_KEY is not set: the built-in demo secret key is public and runs only in "
        "demo mode (MSAP_DEMO=true), debug mode (MSAP_DEBUG=true) or the tests. Set "
        "MSAP_SECRET_KEY to 50 or more random characters, e.g. the output of "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
ALLOWED_HOSTS = env_list(
    "MSAP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver", old="ALLOWED_HOSTS"
)
CSRF_TRUSTED_ORIGINS = env_list("MSAP_CSRF_TRUSTED_ORIGINS", "", old="CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("MSAP_SITE_URL", "http://127.0.0.1:8000", old="SITE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "dsfr",
    "widget_tweaks",
    "django_tasks_db",
    "msap.core",
    "msap.territory",
    "msap.people",
    "msap.network",
    "msap.partners",
    "msap.desk",
    "msap.dossiers",
    "msap.appointments",
    "msap.transmissions",
    "msap.registers",
    "msap.surveys",
    "msap.charter",
    "msap.conventions",
    "msap.committees",
    "msap.public",
    "msap.webhooks",
    "msap.opendata",
    "msap.api",
    "msap.portal",
    "msap.site",
    "msap.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached public page for a visitor without an account, before the session is looked at.
    "msap.public.middleware.CachedPublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "msap.urls"
WSGI_APPLICATION = "msap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "msap.site.context_processors.navigation",
            ],
            # `|typed`: what people typed carries lang="fr" on an English page.
            "builtins": [
                "msap.core.templatetags.content",
                "msap.core.templatetags.forms",
                "msap.core.templatetags.tables",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'msap.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("MSAP_DATABASE_URL", _default_sqlite, old="DATABASE_URL"),
        conn_max_age=env_int("MSAP_DB_CONN_MAX_AGE", 60, old="DB_CONN_MAX_AGE"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, which also makes the file's directory on the first connection.
    DATABASES["default"]["ENGINE"] = "msap.lib.sqlite"
    # WAL lets the counter's readers and writers work at the same time; a busy timeout
    # instead of "database is locked" errors under a short write burst.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests: in memory, named explicitly since pytest-django recognises the default only for
    # Django's own engine. Browser tests: a file database (MSAP_TEST_DB_NAME), so the live
    # server's threads each get their own connection (an in-memory one is shared between
    # threads and breaks under concurrency).
    DATABASES["default"]["TEST"] = {"NAME": env_str("MSAP_TEST_DB_NAME", ":memory:")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "msap.people.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("MSAP_AXES_FAILURE_LIMIT", 10, old="AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = env_bool("MSAP_AXES_ENABLED", True, old="AXES_ENABLED")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MSAP_SECURE_COOKIES", False, old="SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# An expired form or blocked cookies: msap's own French page, like the other errors.
CSRF_FAILURE_VIEW = "msap.site.views.csrf_failure"
# One working day.
SESSION_COOKIE_AGE = env_int("MSAP_SESSION_COOKIE_AGE", 10 * 3600, old="SESSION_COOKIE_AGE")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "msap" / "locale"]
# A French moment reads "1 décembre 2026 à 14:30" (templates use DATETIME_FORMAT).
FORMAT_MODULE_PATH = ["msap.lib.formats"]
USE_I18N = True
USE_TZ = True
# The network's default zone; each house carries its own (overseas houses) and deadlines are
# computed in the house's zone.
TIME_ZONE = env_str("MSAP_TIME_ZONE", "Europe/Paris", old="TIME_ZONE")

STATIC_URL = "/static/"
# Made by `msap collectstatic`; whitenoise warns at startup when it is missing (not collected).
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (training attestations, scans) live outside the web root and are only ever
# served through a view that checks permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MSAP_MEDIA_ROOT", str(DATA_DIR / "private"), old="MEDIA_ROOT"))
MEDIA_URL = "/private/"
WHITENOISE_USE_FINDERS = DEBUG

_email_backend = env_str(
    "MSAP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", old="EMAIL_BACKEND"
)
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": env_str("MSAP_EMAIL_HOST", "localhost", old="EMAIL_HOST"),
        "port": env_int("MSAP_EMAIL_PORT", 25, old="EMAIL_PORT"),
        "username": env_str("MSAP_EMAIL_HOST_USER", "", old="EMAIL_HOST_USER"),
        "password": env_str("MSAP_EMAIL_HOST_PASSWORD", "", old="EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("MSAP_EMAIL_USE_TLS", False, old="EMAIL_USE_TLS"),
    }
elif _email_backend.endswith(("filebased.EmailBackend", "msap.lib.mail.EmailBackend")):
    # Mails written to files (msap.lib.mail: one file per process), for a machine without SMTP.
    _email_options = {
        "file_path": env_str("MSAP_EMAIL_FILE_PATH", str(DATA_DIR / "mails"), old="EMAIL_FILE_PATH")
    }
else:
    _email_options = {}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
# Text messages to people (appointment sheets and reminders): a backend of msap.lib.sms or a
# provider's class of the same shape. The console prints them (demo); tests keep them in memory.
_sms_backend = env_str(
    "MSAP_SMS_BACKEND",
    "msap.lib.sms.LocmemBackend" if TESTING else "msap.lib.sms.ConsoleBackend",
)
MSAP_SMS = {
    "BACKEND": _sms_backend,
    "OPTIONS": (
        {"file_path": env_str("MSAP_SMS_FILE_PATH", str(DATA_DIR / "sms"))}
        if _sms_backend.endswith("FileBackend")
        else {}
    ),
}
DEFAULT_FROM_EMAIL = env_str(
    "MSAP_DEFAULT_FROM_EMAIL", "msap <ne-pas-repondre@msap.local>", old="DEFAULT_FROM_EMAIL"
)
# Days the record of who was reminded of what is kept (e.g. "I never got the reminder"), then
# deleted by `msap remind` itself: about 21,000 rows a day for the whole network.
REMINDER_HISTORY_DAYS = env_int("MSAP_REMINDER_HISTORY_DAYS", 90)

# Django's cache: the public site's pages and search, the forms' rate limits (msap.public).
# Local memory by default (one process); MSAP_CACHE_URL=redis://127.0.0.1:6379/0 shares it
# between the processes and servers of a network installation.
_CACHE_URL = env_str("MSAP_CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": env_str("MSAP_CACHE_PREFIX", "msap"),
        }
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "msap"}
    )
}

# The task queue (django.tasks with django-tasks-db): every send (mail, webhook) is a task
# stored in the database and run by `msap worker`, on the same SQLite file for one house or on
# the shared PostgreSQL for the network, where workers on several machines claim tasks with
# SELECT … FOR UPDATE SKIP LOCKED. MSAP_TASKS_IMMEDIATE=true runs each task at once in the
# process that enqueues it (no worker needed; a send then delays the page that triggered it).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("MSAP_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "mail", "webhooks"],
    }
}
# Webhooks to partners' systems (msap/webhooks): seconds before a delivery attempt gives up,
# and whether an endpoint may be plain http on a loopback address (the tests' local receiver).
MSAP_WEBHOOK_TIMEOUT = env_int("MSAP_WEBHOOK_TIMEOUT", 10)
MSAP_WEBHOOK_ALLOW_LOOPBACK = env_bool("MSAP_WEBHOOK_ALLOW_LOOPBACK", False)

# Attendance tool: how long the author may still edit or delete a recorded request.
MSAP_REQUEST_EDIT_WINDOW_HOURS = env_int("MSAP_REQUEST_EDIT_WINDOW_HOURS", 48)
# Personal files: inactive ones are anonymised after this many months (SPEC "Confidentiality").
MSAP_DOSSIER_RETENTION_MONTHS = env_int("MSAP_DOSSIER_RETENTION_MONTHS", 24)

# Upload limits (attestations, scans): size and sniffed types.
MSAP_MAX_UPLOAD_BYTES = env_int("MSAP_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MSAP_LOG_LEVEL", "INFO", old="LOG_LEVEL")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    AXES_ENABLED = False
