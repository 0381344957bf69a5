"""Django settings, read from environment variables in this one place.

Defaults give the embedded setup (SQLite file, Celery eager); production sets DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "organisation.apps.OrganisationConfig",
    "scheduling.apps.SchedulingConfig",
    "timeclock.apps.TimeclockConfig",
    "web.apps.WebConfig",
    "wfm.apps.ShellConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wfm.urls"
WSGI_APPLICATION = "wfm.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite file by default; DATABASE_URL=postgres://user@host:5432/name for the scaled setup.
VAR_DIR = Path(os.environ.get("WFM_VAR_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'wfm.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting for the writer lock beats failing with "database is locked". WAL: readers never
    # wait for a writer (a page polling a job while the job writes, `make run`); IMMEDIATE: a
    # transaction takes the write lock when it begins, so two that read then write queue on
    # the timeout instead of one failing at once as a deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests on a file too, not SQLite's shared-cache memory database: there a page read while
    # a background job writes fails at once ("database table is locked"); table locks of the
    # shared cache ignore the busy timeout. One file per process: test runs side by side in
    # one checkout never share it (the test runner deletes it at the end).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"wfm-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Time, language ------------------------------------------------------------------------
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = True
# The web pages speak English and Dutch (web/locale); the API answers in English.
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
# One catalogue for the project: the pages' words and the sentences the services write
# (scheduling/sentences.py), found by `manage.py makemessages` run from the root.
LOCALE_PATHS = [BASE_DIR / "web" / "locale"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
# Every password login goes through the login lockout (RELIABILITY.md R4.5).
AUTHENTICATION_BACKENDS = ["organisation.auth.LockoutModelBackend"]

# Request bodies above 1 MB are refused (RELIABILITY R4.5).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Security (on by default whenever DEBUG is off; each can be overridden) ------------------
SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31536000 if SECURE else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy we run, which sets this header itself.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not logged in" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "timeclock.auth.DeviceAuthentication",
        "timeclock.auth.SignedDeviceAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["organisation.api.permissions.IsPerson"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "organisation.api.pagination.CappedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "organisation.api.schema.WfmAutoSchema",
    "EXCEPTION_HANDLER": "organisation.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
WFM_MAX_PAGE_SIZE = 200
# Call-history uploads (a year of per-call records runs to tens of megabytes).
WFM_HISTORY_UPLOAD_MAX_BYTES = int(os.environ.get("WFM_HISTORY_UPLOAD_MAX_BYTES", 64 * 1024 * 1024))
# Roster solves: CP-SAT workers per job, and the longest time limit a manager may ask for.
WFM_SOLVER_WORKERS = int(os.environ.get("WFM_SOLVER_WORKERS", 2))
WFM_ROSTER_MAX_SECONDS = int(os.environ.get("WFM_ROSTER_MAX_SECONDS", 600))
# EU working-time rules at publication: "warn" lists them, "enforce" refuses to publish.
WFM_WORKING_TIME_POLICY = os.environ.get("WFM_WORKING_TIME_POLICY", "warn")
# Record retention in years (never below the law's 2 for time cards and 3 for payroll).
WFM_RETENTION_TIME_CARD_YEARS = int(os.environ.get("WFM_RETENTION_TIME_CARD_YEARS", 2))
WFM_RETENTION_PAYROLL_YEARS = int(os.environ.get("WFM_RETENTION_PAYROLL_YEARS", 3))

SPECTACULAR_SETTINGS = {
    "TITLE": "WFM API",
    "DESCRIPTION": "Workforce management for call centres: forecast, staff, roster, clock, pay.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "organisation.models.Job.Status",
        "RosterStatusEnum": "scheduling.models.rosters.Roster.Status",
        "AvailabilityKindEnum": "scheduling.models.rosters.AvailabilityBlock.Kind",
        "PunchKindEnum": "timeclock.models.Punch.Kind",
        "RosterChangeActionEnum": "scheduling.models.rosters.RosterChange.Action",
        "CorrectionActionEnum": "timeclock.models.PunchCorrection.Action",
        "CorrectionRequestStatusEnum": "timeclock.models.CorrectionRequest.Status",
        "SwapKindEnum": "scheduling.models.requests.ShiftSwap.Kind",
        "SwapStatusEnum": "scheduling.models.requests.ShiftSwap.Status",
        "TimeOffStatusEnum": "scheduling.models.requests.TimeOffRequest.Status",
        "StudyModuleKindEnum": "scheduling.models.training.StudyModule.Kind",
        "MeetingKindEnum": "scheduling.models.training.Meeting.Kind",
        "ProgressEventKindEnum": ["mentored", "session", "module"],
        "IntradayOfferKindEnum": "scheduling.models.intraday.IntradayOffer.Kind",
    },
}

# --- Celery ---------------------------------------------------------------------------------
# No broker configured -> tasks run eagerly in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# Without a broker, run jobs in a thread of the web process (`make run` sets it), so their
# pages show live progress; off, they run inside the request that starts them.
WFM_JOBS_IN_BACKGROUND = env_bool("WFM_JOBS_IN_BACKGROUND", False)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job rows are the result store; Celery keeps no results of its own.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longest task budget stays below the Redis visibility timeout, so nothing is redelivered
# while it still runs (RELIABILITY R3.6).
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = "UTC"
# Periodic jobs (one `celery beat`); each is idempotent, so a second beat does no harm.
CELERY_BEAT_SCHEDULE = {
    "swaps-expire": {"task": "scheduling.swaps_expire", "schedule": 300.0},
    "offers-expire": {"task": "scheduling.offers_expire", "schedule": 300.0},
    "notices-send": {"task": "organisation.notices_send", "schedule": 60.0},
    "jobs-lost-fail": {"task": "organisation.jobs_lost_fail", "schedule": 600.0},
    "jobs-waiting-send": {"task": "organisation.jobs_waiting_send", "schedule": 30.0},
    "points-cases-open": {"task": "timeclock.points_cases_open", "schedule": 6 * 3600.0},
    "pay-rates-due": {"task": "organisation.pay_rates_due", "schedule": 3600.0},
}

# --- E-mail, logging ------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "wfm@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WFM_LOG_LEVEL", "WARNING")},
}
