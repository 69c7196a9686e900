"""Settings for the GSX Portal, read from the environment.

Unset variables give the embedded default that ``make run`` uses on a fresh machine: SQLite under
``var/``, tasks run in-process, a local-memory cache and e-mail printed to the console. Setting
``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``REDIS_URL`` moves the same code onto PostgreSQL,
Redis and real Celery workers.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets generic views be subscripted for type checking (ListView[Convening]) at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GSX_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# pytest >= 8.2 exports PYTEST_VERSION while it runs; tests may use the development key.
TESTING = "PYTEST_VERSION" in os.environ

DEV_SECRET_KEY = "django-insecure-gsx-development-key-never-use-in-production"  # noqa: S105 (refused below)
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEV_SECRET_KEY
if not DEBUG and not TESTING and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of 50+ characters when DEBUG is off. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's public address, for links made outside a request: PDFs (QR codes) rendered by
# workers, digests and reminders sent by beat. Inside a request, links use the request's host
# (gsx_portal.site). Production must say it: a default would print 127.0.0.1 into every brief.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DEBUG is off: the public address of the portal, "
            "e.g. https://portal.example.org (used in PDFs, QR codes and e-mails)."
        )
    SITE_URL = "http://127.0.0.1:8000"
if not ALLOWED_HOSTS and not DEBUG and not TESTING:
    # The host of SITE_URL is the one the portal answers to unless ALLOWED_HOSTS says more.
    from urllib.parse import urlsplit

    ALLOWED_HOSTS = [urlsplit(SITE_URL).hostname or ""]

INSTALLED_APPS = [
    # Before the admin, so its TranslationAdmin can patch the admin's forms (its documentation asks).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "simple_history",
    "nested_admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "gsx_portal",
    "organizations",
    "events",
    "recommendations",
    "publications",
    "tracking",
    "consultations",
    "importing",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after security, before sessions: a CSS file needs no session or user.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gsx_portal.site.RequestOriginMiddleware",
    # Before CSRF, which would be the first to read an over-large POST (gsx_portal/request_limits.py).
    "gsx_portal.request_limits.DataTooBigMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A second factor (TOTP) for staff and for anyone who set one up (organizations/second_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "organizations.second_factor.SecondFactorMiddleware",
    "organizations.session_limits.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside CSRF and authentication: it reads the user and the CSRF secret the page used.
    "gsx_portal.conditional_get.AnonymousConditionalGetMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gsx_portal.urls"
WSGI_APPLICATION = "gsx_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.reads",
                "consultations.context_processors.secretariat",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL names another one (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Connections are kept a minute and checked before reuse, so a PostgreSQL restart costs no errors.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "gsx.sqlite3"),
            # Concurrent web and in-process task writes wait instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared Redis when REDIS_URL is set (locks, rate limits across processes).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "gsx_portal.cache.FailSoftRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: without a broker, tasks run eagerly in the calling process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None  # results live in PostgreSQL rows, not in the broker
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every task has a time limit (the PDF render its own, 90 s); Redis hands an unacknowledged message
# to another worker after the visibility timeout, so it sits just above the longest limit: a worker
# killed whole delays its messages by minutes, not an hour. (A render is resent sooner still: see
# publications.services.documents_resend_stale.) Countdowns stay far below it (2 s).
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 270
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 30}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process is replaced after the task that takes it past the memory limit (KiB), or after
# so many tasks. bench/bench_worker_memory.py, 500 brief renders in one process: 144 MiB warm,
# 154 MiB after 10, 158 MiB after 500 (1.03x; flat from 50 to 250). 300 MiB is about twice that:
# only a document far out of the ordinary (or a leak that comes back) reaches it; the task count
# is a backstop for growth too slow for the memory limit to catch soon.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("WORKER_MAX_MEMORY_MIB", "300")) * 1024
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("WORKER_MAX_TASKS", "5000"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# PDF renders get their own queue so a burst of them never delays mail or digests.
CELERY_TASK_ROUTES = {"publications.tasks.document_render": {"queue": "pdf"}}
CELERY_BEAT_SCHEDULE["publications-sweep"] = {"task": "publications.tasks.documents_sweep", "schedule": 60.0}
# A heartbeat through each queue: /readyz reports "workers: stale" when renders wait and no
# worker has taken one for WORKER_STALE_MINUTES.
for _queue in ("celery", "pdf"):
    CELERY_BEAT_SCHEDULE[f"worker-heartbeat-{_queue}"] = {
        "task": "publications.tasks.worker_heartbeat",
        "schedule": 60.0,
        "kwargs": {"queue": _queue},
        "options": {"queue": _queue},
    }
WORKER_STALE_MINUTES = int(os.environ.get("WORKER_STALE_MINUTES", "5"))
WORKERS_STATE = "publications.selectors.workers_state"  # what /readyz asks about the workers
# Follow-up tracking (UTC, as CELERY_TIMEZONE): the weekly digest on Monday morning, and
# next-step reminders daily; both are idempotent, so a repeated or late beat sends nothing twice.
CELERY_BEAT_SCHEDULE["tracking-weekly-digest"] = {
    "task": "tracking.tasks.digests_send_weekly",
    "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
}
CELERY_BEAT_SCHEDULE["tracking-next-step-reminders"] = {
    "task": "tracking.tasks.next_step_reminders_send",
    "schedule": crontab(minute=30, hour=5),
}
# Endorsement tallies are kept by triggers; nightly, any drift is repaired (idempotent).
CELERY_BEAT_SCHEDULE["recommendations-tallies-reconcile"] = {
    "task": "recommendations.tasks.tallies_reconcile",
    "schedule": crontab(minute=45, hour=1),
}
# The open-data ZIP of /data/, nightly (idempotent: one version per UTC day).
CELERY_BEAT_SCHEDULE["publications-open-data"] = {
    "task": "publications.tasks.data_release_build",
    "schedule": crontab(minute=15, hour=2),
}

# --- Authentication
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # PBKDF2 is slow on purpose, against attackers; the suite logs in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: with TRUSTED_PROXY_COUNT
# (how many proxies of ours append to X-Forwarded-For; 1 for one nginx) the client's own address
# is taken from that header, for axes and for every other limit (organizations/throttling.py).
# Unset: REMOTE_ADDR only, so a client cannot forge its address with the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "organizations.throttling.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # a page in the site's layout, status 429
OTP_TOTP_ISSUER = "GSX Portal"
# Sessions: everyone's lasts at most two weeks from log-in; staff's ends after 30 idle minutes
# (organizations/session_limits.py).
SESSION_MAX_AGE = 14 * 24 * 3600
SESSION_COOKIE_AGE = SESSION_MAX_AGE
STAFF_IDLE_TIMEOUT = 30 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated names of themes and addressees (recommendations/translation.py): English is the
# canonical one; an untranslated name falls back to it, and a missing one is NULL, not "", so the
# unique constraint the names share never trips over two empty translations.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Our date style per language; Russian declines its month names (gsx_portal/formats).
FORMAT_MODULE_PATH = ["gsx_portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# whitenoise serves STATIC_ROOT from the application server itself (no nginx rule to keep in
# step), with hashed names cached for a year and gzip/brotli copies made by collectstatic.
# Development and tests read the source folders directly, so no collectstatic is needed there.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development and tests: whitenoise finds files in their source folders, as runserver would.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Rendered PDFs: shared by web and workers, never served as media (audience-checked views only).
PUBLICATIONS_ROOT = Path(os.environ.get("PUBLICATIONS_ROOT", VAR_DIR / "publications"))
# Evidence files of status updates: private like the PDFs, downloaded through /tracking/evidence/.
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", VAR_DIR / "evidence"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Importing summaries: limits on what a 5 MB upload may expand to (importing/readers.py).
# A real summary is a few dozen pages and well under 1 MB of Word XML; these leave room for ten
# times that and refuse a bomb from its zip directory or PDF page tree, before it is read.
IMPORT_DOCX_MAX_EXPANDED_MB = int(os.environ.get("IMPORT_DOCX_MAX_EXPANDED_MB", "25"))
IMPORT_DOCX_MAX_RATIO = int(os.environ.get("IMPORT_DOCX_MAX_RATIO", "100"))  # Word XML: 5-20×
IMPORT_MAX_PARAGRAPHS = int(os.environ.get("IMPORT_MAX_PARAGRAPHS", "20000"))
IMPORT_MAX_PDF_PAGES = int(os.environ.get("IMPORT_MAX_PDF_PAGES", "200"))
# Word and PDF files are read by a task (importing/tasks.py): the reader gives up by itself after
# IMPORT_READ_SECONDS (checked between pages and paragraphs, so also when tasks run eagerly), the
# worker's soft limit comes 10 s later, its hard limit (the process is killed) 20 s later.
IMPORT_READ_SECONDS = int(os.environ.get("IMPORT_READ_SECONDS", "60"))
IMPORT_READ_SOFT_TIME_LIMIT = IMPORT_READ_SECONDS + 10
IMPORT_READ_TIME_LIMIT = IMPORT_READ_SECONDS + 20

# --- E-mail: printed to the console unless EMAIL_BACKEND names a real one. With DEBUG off the
# console would write password-reset links (working tokens) into the server's log, so an unset
# EMAIL_BACKEND refuses to start, like a missing SECRET_KEY: here rather than only in a system
# check, because gunicorn and the Celery worker (which sends reminders and digests) run no checks.
# The check gsx.E001 (gsx_portal/checks.py) states the same rule to `check --deploy`, and gsx.W001
# still flags a console backend chosen explicitly.
EMAIL_BACKEND_EXPLICIT = bool(os.environ.get("EMAIL_BACKEND"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
if not DEBUG and not TESTING and not EMAIL_BACKEND_EXPLICIT:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be set when DEBUG is off (e.g. django.core.mail.backends.smtp.EmailBackend "
        "with EMAIL_HOST): otherwise password-reset links are printed to the server's log."
    )
# For the file backend (`make serve` on a machine without SMTP): one file per message.
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GSX Portal <noreply@gsx.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security: strict unless DEBUG; SECURE_SSL_REDIRECT can be turned off behind a TLS proxy.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not TESTING)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not TESTING)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto and
# X-Forwarded-Host: trust them only when the proxy is the only way in (docs/deploy.md).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# Content-Security-Policy (django-csp 4 format): our own origin only, no inline script or style,
# no eval. Pages keep their JavaScript in static/js and their styles in static/css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the QR codes and server-drawn charts embedded as data URIs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The PDF page downloads a ready file through a hidden frame of our own.
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# --- The read-only open-data API (api/, docs/api.md): JSON only, anonymous or a per-organization
# token, throttled on the shared cache. The rates are read at request time (api/throttling.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "api.views.exception_handler",
}
# Inputs on circulating documents (consultations), per user and per organization, in the shared cache.
CONSULTATION_INPUT_RATE_USER = os.environ.get("CONSULTATION_INPUT_RATE_USER", "20/h")
CONSULTATION_INPUT_RATE_ORGANIZATION = os.environ.get("CONSULTATION_INPUT_RATE_ORGANIZATION", "60/h")

API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
    "user": os.environ.get("API_THROTTLE_USER", "300/minute"),
    "token": os.environ.get("API_THROTTLE_TOKEN", "600/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GSX Portal open-data API",
    "DESCRIPTION": (
        "Read-only access to the published convenings, recommendations, organizations, letters and "
        "endorsements of the GSX Portal. Anonymous reads see what the public site shows; an "
        "organization's API token reads as a member of that organization. See docs/api.md."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RecommendationStatus": "recommendations.models.Status",
        "ConveningKind": "events.models.Convening.Kind",
        "OrganizationKind": "organizations.models.Organization.Kind",
    },
}

# Features no page of ours uses are switched off for it and for anything it could embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO; a render is one line in our own log instead.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
