"""Settings for the Thai–Japanese SME matching portal.

Two ways to run the same code (README, "The two commands" and "Running with PostgreSQL, Redis and workers"):

* **Embedded default** — nothing set: SQLite file in the project folder, Celery tasks run inline,
  e-mail printed to the console, DEBUG on.
* **Production/distributed** — ``DEBUG=0`` plus ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``
  (PostgreSQL) and ``CELERY_BROKER_URL``/``REDIS_URL`` (Redis): real workers, Redis cache, hardened
  HTTP settings. Production refuses to start without a real ``SECRET_KEY``.

Every variable is listed, with a comment, in ``.env.example``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.beat import beat_schedule
from portal.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------------
# Mode and secrets
# --------------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", True)
PRODUCTION = not DEBUG
# With DEBUG on, a 404 still shows the portal's own page (portal.core.middleware.NotFoundPageMiddleware);
# TECHNICAL_404=1 shows Django's, which lists the URL patterns tried.
TECHNICAL_404 = env_bool("TECHNICAL_404", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-for-the-embedded-default-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    # Mirror Django's own security.W009 test so a weak key is refused at start, not merely warned about.
    if (
        not SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
        or SECRET_KEY == _DEV_SECRET_KEY
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG=0 "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
elif not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET_KEY
# Old keys, comma-separated, still accepted for signatures (sessions, password-reset links) while a new
# SECRET_KEY takes over; remove them after SESSION_COOKIE_AGE (README "Operations").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --------------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "portal.accounts.email_app.EmailAddressesConfig",  # allauth.account, named apart from ours
    "allauth.mfa",
    "portal.core",
    "portal.accounts",
    "portal.taxonomy",
    "portal.companies",
    "portal.postings",
    "portal.showcase",
    "portal.privacy",
    "portal.notifications",
    "matching",
    "shindan",
    "events",
    "deals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.core.middleware.PermissionsPolicyMiddleware",
    "portal.core.middleware.MethodNotAllowedPageMiddleware",
    "portal.core.middleware.NotFoundPageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.RequireMFAMiddleware",
]

SITE_ID = 1
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.core.context_processors.navigation",
                "portal.core.seo.seo",
            ],
        },
    },
]

# --------------------------------------------------------------------------------------------------
# Database: SQLite file by default, anything dj-database-url understands otherwise
# --------------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL when DEBUG=0.")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------------------------------
# Redis: broker, results and cache
# --------------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
if PRODUCTION and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL (or REDIS_URL) must be set when DEBUG=0.")

if REDIS_URL or CELERY_BROKER_URL.startswith("redis"):
    CACHES = {
        "default": {
            # Degrades to a miss while Redis is down (pages keep working): portal/core/cache.py.
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": os.environ.get("CACHE_URL", "") or REDIS_URL or CELERY_BROKER_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --------------------------------------------------------------------------------------------------
# Celery: one place for reliability settings (acks late, reject on worker loss, time limits)
# --------------------------------------------------------------------------------------------------
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 10 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 9 * 60 + 30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task delivered but not acknowledged is redelivered after this long (Redis visibility timeout): the
# backstop for a worker that died whole (main process and pool). It must exceed every task's time limit,
# or a task still running would be delivered a second time. The work that matters (matching shards and
# rescorings, scheduler runs, imports) does not wait for it: it records a heartbeat while it runs, and a
# beat job re-queues what has not advanced for PORTAL_STALLED_AFTER_SECONDS (portal/core/heartbeat.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
# Running work stamps its row every PORTAL_HEARTBEAT_SECONDS; work whose heartbeat (or, not started yet,
# whose queueing) is older than PORTAL_STALLED_AFTER_SECONDS is re-queued by the beat jobs below, which
# run every PORTAL_STALLED_SWEEP_SECONDS: a dead worker's work runs again within about a minute.
PORTAL_HEARTBEAT_SECONDS = env_int("PORTAL_HEARTBEAT_SECONDS", 10)
PORTAL_STALLED_AFTER_SECONDS = env_int("PORTAL_STALLED_AFTER_SECONDS", 40)
PORTAL_STALLED_SWEEP_SECONDS = env_int("PORTAL_STALLED_SWEEP_SECONDS", 15)
# A unit of work re-queued this many times is given up (marked failed), so a file or company that kills
# its worker every time cannot loop for ever.
PORTAL_MAX_ATTEMPTS = env_int("PORTAL_MAX_ATTEMPTS", 3)
if PORTAL_STALLED_AFTER_SECONDS < 3 * PORTAL_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("PORTAL_STALLED_AFTER_SECONDS must be at least 3 × PORTAL_HEARTBEAT_SECONDS.")
# The matching engine (matching/services/runs.py): proposals are written by COPY on PostgreSQL (0: the
# batched INSERTs every database has, as SQLite uses); threads per shard of a full recompute (0: the worker
# process's share of its machine's cores, at most 4: past that threads gain nothing, see the README).
MATCHING_COPY_WRITES = env_bool("MATCHING_COPY_WRITES", True)
MATCHING_THREADS = env_int("MATCHING_THREADS", 0)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = beat_schedule(stalled_sweep_seconds=PORTAL_STALLED_SWEEP_SECONDS)

# --------------------------------------------------------------------------------------------------
# Accounts: allauth with e-mail login, mandatory verification, rate limits and TOTP
# --------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "portal.privacy.forms.ConsentSignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming the address (in the browser that signed up) signs the user in; the adapter then sends a user
# without a company to "register your company".
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelled out so they are visible and tested (backed by the cache).
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Thai–Japan SME Portal"
# Consultants and coordinators must have TOTP enabled: on in production, off on the embedded demo
# so the printed demo logins work without an authenticator app.
PORTAL_REQUIRE_MFA_FOR_STAFF = env_bool("PORTAL_REQUIRE_MFA_FOR_STAFF", PRODUCTION)
# Personal API tokens (portal/accounts): the lifetime of a new token in days, and the most its owner may
# choose.
PORTAL_API_TOKEN_DAYS = env_int("PORTAL_API_TOKEN_DAYS", 30)
PORTAL_API_TOKEN_MAX_DAYS = env_int("PORTAL_API_TOKEN_MAX_DAYS", 90)
if not 1 <= PORTAL_API_TOKEN_DAYS <= PORTAL_API_TOKEN_MAX_DAYS <= 366:
    raise ImproperlyConfigured("Need 1 <= PORTAL_API_TOKEN_DAYS <= PORTAL_API_TOKEN_MAX_DAYS <= 366.")

# --------------------------------------------------------------------------------------------------
# Languages and time
# --------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("th", _("Thai")),
    ("ja", _("Japanese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["portal.formats"]  # where a language's formats differ from Django's (portal/formats/)
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# --------------------------------------------------------------------------------------------------
# Static and media files (WhiteNoise; nothing from a CDN)
# --------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Files only some users may see (Shindan evidence photos, …): outside MEDIA_ROOT, served by
# permission-checked views, never by URL (portal/core/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# Where public and private files live: "filesystem" (the two folders above; share them between web and
# worker machines) or "s3" (S3-compatible object storage: AWS S3, MinIO, …; README "Files").
PORTAL_STORAGE = os.environ.get("PORTAL_STORAGE", "filesystem").strip().lower()
_STATICFILES = {
    "BACKEND": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
}
# Origins besides our own that may serve images (public media from a bucket or CDN).
MEDIA_ORIGINS: list[str] = []
if PORTAL_STORAGE == "filesystem":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        # Private files (portal/core/storage.py): no URL, served only by permission-checked views.
        "private": {"BACKEND": "portal.core.storage.PrivateFileSystemStorage"},
        "staticfiles": _STATICFILES,
    }
elif PORTAL_STORAGE == "s3":
    from portal.core.s3config import s3_storages

    _public, _private, MEDIA_ORIGINS = s3_storages(os.environ)
    STORAGES = {"default": _public, "private": _private, "staticfiles": _STATICFILES}
else:
    raise ImproperlyConfigured(f"PORTAL_STORAGE must be filesystem or s3, got {PORTAL_STORAGE!r}.")

# --------------------------------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# The portal's public address (https://portal.example.org) for links in e-mails sent without a web request
# (coordinators' decisions, reminders); empty: the Site record's domain. See portal/core/links.py.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")
# The name is replaced by the portal's name in each recipient's language (portal/core/notify.py, sender).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Thai–Japan SME Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where members and visitors write to the DIP/SMRJ coordinators: the footer and the privacy notice show it,
# and every e-mail the portal sends carries it as Reply-To (the sender above is a no-reply address). Empty:
# none of them names an address. The embedded default names an example one.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "coordinators@portal.example" if DEBUG else "")

# --------------------------------------------------------------------------------------------------
# REST API
# --------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Personal tokens first: a bad, expired or revoked token answers 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "portal.core.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Thai–Japan SME Matching Portal API",
    "DESCRIPTION": "Companies, postings, matches, diagnoses and events of the DIP × SMRJ matching portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components: write-only fields are not in responses, read-only ones
    # not in requests, and a field that may not be blank says so (minLength 1), as DRF enforces.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc assets come from drf-spectacular-sidecar: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each one inside the operation's button (nested controls, axe-core).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # Several models have a "stage" or "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "DiagnosisStageEnum": "shindan.models.Stage",
        "ActionStatusEnum": "shindan.models.ActionStatus",
        "IntroductionStageEnum": "matching.models.IntroductionStage",
        "PostingStatusEnum": "portal.postings.models.PostingStatus",
        "ParticipantStatusEnum": "events.models.ParticipantStatus",
        "MeetingRequestStatusEnum": "events.models.RequestStatus",
    },
}

# --------------------------------------------------------------------------------------------------
# Security (production hardening; `manage.py check --deploy` passes with DEBUG=0)
# --------------------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A rejected form (expired CSRF token) gets a translated page that says what to do, not Django's English one.
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from our own origin — no inline script anywhere
# (the API docs use drf-spectacular's split Swagger view). Styles allow inline attributes (the score bar's
# width, Swagger UI); nothing is loaded from another origin (the portal works offline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Error reports mask personal data in POST fields (contacts, names, e-mail, phone): portal/core/reporting.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.core.reporting.PersonalDataReporterFilter"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --------------------------------------------------------------------------------------------------
# Logging: JSON lines in production (one object per event), readable lines on the embedded default
# --------------------------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        # PDF rendering logs every step and font subset at INFO.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# --------------------------------------------------------------------------------------------------
# Domain rules that are settings, not constants (docs/domain.md)
# --------------------------------------------------------------------------------------------------
# Eastern Economic Corridor provinces: Chon Buri, Rayong, Chachoengsao.
PORTAL_EEC_PROVINCES = ("TH-20", "TH-21", "TH-24")
# Thai SME size class when employees and revenue disagree: "revenue" (Thai-language sources: revenue
# prevails) or "higher" (the English OSMEP page: whichever is higher).
PORTAL_THAI_SIZE_RULE = os.environ.get("PORTAL_THAI_SIZE_RULE", "revenue")
if PORTAL_THAI_SIZE_RULE not in {"revenue", "higher"}:
    raise ImproperlyConfigured("PORTAL_THAI_SIZE_RULE must be 'revenue' or 'higher'.")
# How long vetting a new company usually takes, in working days (told to new members; .env.example).
PORTAL_VETTING_DAYS = env_int("PORTAL_VETTING_DAYS", 3)
# Company imports (the coordinators' page and `import_companies`): refused by their real size before and
# while they are parsed, never by what the file declares (portal/companies/importer/reading.py).
PORTAL_IMPORT_MAX_BYTES = env_int("PORTAL_IMPORT_MAX_BYTES", 32 * 1024 * 1024)
PORTAL_IMPORT_MAX_ROWS = env_int("PORTAL_IMPORT_MAX_ROWS", 20_000)
PORTAL_IMPORT_MAX_COLUMNS = env_int("PORTAL_IMPORT_MAX_COLUMNS", 64)
PORTAL_IMPORT_MAX_CELL_CHARS = env_int("PORTAL_IMPORT_MAX_CELL_CHARS", 20_000)
PORTAL_IMPORT_MAX_UNZIPPED_BYTES = env_int("PORTAL_IMPORT_MAX_UNZIPPED_BYTES", 256 * 1024 * 1024)
PORTAL_IMPORT_MAX_ZIP_RATIO = env_int("PORTAL_IMPORT_MAX_ZIP_RATIO", 100)
if PORTAL_IMPORT_MAX_CELL_CHARS > 131_072:
    # The csv module refuses longer fields by itself (csv.field_size_limit), whatever this says.
    raise ImproperlyConfigured("PORTAL_IMPORT_MAX_CELL_CHARS may be at most 131072.")
# An import job stops after this many seconds (it is re-run or marked failed; nothing is half-written).
PORTAL_IMPORT_TIME_LIMIT = env_int("PORTAL_IMPORT_TIME_LIMIT", 9 * 60)
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= PORTAL_IMPORT_TIME_LIMIT + 30:
    raise ImproperlyConfigured("PORTAL_IMPORT_TIME_LIMIT + 30 s must stay below CELERY_VISIBILITY_TIMEOUT.")
# Company logos: accepted image formats (checked by content) and maximum size.
PORTAL_LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
PORTAL_LOGO_MAX_BYTES = 1024 * 1024

# Deals (deals/, README "Deals"): conversations between companies and proposals on needs.
# Conversations a company may open in 24 hours with companies outside its recommendations (anti-spam).
DEALS_DAILY_OPEN_CAP = env_int("DEALS_DAILY_OPEN_CAP", 5)
DEALS_EDIT_WINDOW_MINUTES = env_int("DEALS_EDIT_WINDOW_MINUTES", 15)
DEALS_ATTACHMENT_MAX_BYTES = env_int("DEALS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DEALS_ATTACHMENTS_PER_MESSAGE = env_int("DEALS_ATTACHMENTS_PER_MESSAGE", 5)
# The coordinator desk lists open conversations whose last message is older than this.
DEALS_UNANSWERED_DAYS = env_int("DEALS_UNANSWERED_DAYS", 5)
# Messages older than this many days are deleted by the nightly job; 0 keeps them.
DEALS_RETENTION_DAYS = env_int("DEALS_RETENTION_DAYS", 0)
# Erasing a person also blanks the text of their messages (default: the text stays, author removed).
DEALS_ERASE_MESSAGE_TEXT = env_bool("DEALS_ERASE_MESSAGE_TEXT", False)
# How often an open conversation and the unread count ask for news (plain polling: no Redis needed).
DEALS_POLL_SECONDS = env_int("DEALS_POLL_SECONDS", 15)
# A machine translation backend: the dotted path of ``translate(text, source, target) -> str`` (none).
DEALS_MACHINE_TRANSLATION = os.environ.get("DEALS_MACHINE_TRANSLATION", "")
# Logos are re-encoded to WebP at this size (longest side, pixels) for pages and cards.
PORTAL_LOGO_BOX = 256
# Showcases (portal/showcase): products per company, photos and brochures per product, upload limits.
PORTAL_SHOWCASE_MAX_PRODUCTS = env_int("PORTAL_SHOWCASE_MAX_PRODUCTS", 30)
PORTAL_SHOWCASE_MAX_PHOTOS = env_int("PORTAL_SHOWCASE_MAX_PHOTOS", 8)
PORTAL_SHOWCASE_MAX_BROCHURES = env_int("PORTAL_SHOWCASE_MAX_BROCHURES", 3)
PORTAL_SHOWCASE_PHOTO_MAX_BYTES = env_int("PORTAL_SHOWCASE_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
PORTAL_SHOWCASE_BROCHURE_MAX_BYTES = env_int("PORTAL_SHOWCASE_BROCHURE_MAX_BYTES", 10 * 1024 * 1024)

# --------------------------------------------------------------------------------------------------
# Notification channels (portal/notifications/channels.py). In-app and e-mail always; a generic signed
# webhook (e.g. a LINE bridge) when a URL and a secret are set: each notification is POSTed as JSON with
# an HMAC-SHA256 signature, retried with back-off, and logged (WebhookDelivery).
# --------------------------------------------------------------------------------------------------
NOTIFICATION_WEBHOOK_URL = os.environ.get("NOTIFICATION_WEBHOOK_URL", "")
NOTIFICATION_WEBHOOK_SECRET = os.environ.get("NOTIFICATION_WEBHOOK_SECRET", "")
NOTIFICATION_WEBHOOK_KINDS = env_list("NOTIFICATION_WEBHOOK_KINDS", [])  # empty: every kind
NOTIFICATION_WEBHOOK_TIMEOUT = env_int("NOTIFICATION_WEBHOOK_TIMEOUT", 5)
NOTIFICATION_WEBHOOK_ATTEMPTS = env_int("NOTIFICATION_WEBHOOK_ATTEMPTS", 6)
NOTIFICATION_WEBHOOK_BACKOFF = env_int("NOTIFICATION_WEBHOOK_BACKOFF", 30)  # seconds; doubled per attempt
