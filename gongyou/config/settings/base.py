"""Settings shared by every environment; everything secret or site-specific comes from the environment."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the gongyou package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("GONGYOU_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("GONGYOU_SECRET_KEY") or ""
DEBUG = env_bool("GONGYOU_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in (env("GONGYOU_ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "gongyou.core",
    "gongyou.regions",
    "gongyou.classifications",
    "gongyou.accounts",
    "gongyou.workers",
    "gongyou.employers",
    "gongyou.stations",
    "gongyou.cases",
    "gongyou.training",
    "gongyou.settlement",
    "gongyou.jobs",
    "gongyou.recognition",
    "gongyou.publicservices",
    "gongyou.indicators",
    "gongyou.portal",
    "gongyou.imports",
    "gongyou.exports",
    "gongyou.privacy",
    "gongyou.ops",
]

MIDDLEWARE = [
    # First: everything after it sees the client's address, not a trusted proxy's.
    "gongyou.core.middleware.ProxiedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongyou.core.middleware.CSPMiddleware",  # django-csp's, with the header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongyou.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or CsrfViewMiddleware reads the body (413 page in the user's language).
    "gongyou.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongyou.core.middleware.RequestContextMiddleware",
    "gongyou.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# API calls with a bearer token (gongyou/config/wsgi.py): what of MIDDLEWARE still applies to
# a request judged by its token alone, in the same order. Not here: sessions, CSRF, messages,
# two-factor (tokens of such users are issued only with a code), django-axes' lockout page (the
# API's sign-in, POST /api/v1/auth/token, answers a locked account itself: 429), static files,
# HTMX and the pages' error pages. A request whose token is not valid is answered 401 (never
# by a session). The user is the token's (accounts.auth.BearerAuth), anonymous until then.
API_TOKEN_MIDDLEWARE = [
    "gongyou.core.middleware.ProxiedClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongyou.core.middleware.CSPMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",  # Content-Length (no chunked answers)
    "gongyou.core.middleware.AnonymousUntilAuthenticatedMiddleware",
    "gongyou.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongyou.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "gongyou.config.urls"
WSGI_APPLICATION = "gongyou.config.wsgi.application"

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
                "gongyou.accounts.context_processors.actor",
                "gongyou.cases.context_processors.cases",
                "gongyou.training.context_processors.training",
                "gongyou.settlement.context_processors.settlement",
                "gongyou.jobs.context_processors.jobs",
                "gongyou.recognition.context_processors.recognition",
                "gongyou.publicservices.context_processors.publicservices",
                "gongyou.indicators.context_processors.indicators",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite (embedded, WAL) by default; DATABASE_URL switches to PostgreSQL. See docs/decisions/0001.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongyou.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One persistent connection per request thread: the web server's threads are capped
    # (GONGYOU_WEB_WORKERS × GONGYOU_WEB_THREADS connections at most, ADR 0013), so they cannot
    # exhaust PostgreSQL's slots the way on-demand threads did (docs/decisions/0001).
    # Each request first checks its connection (CONN_HEALTH_CHECKS): after PostgreSQL restarts,
    # a dead connection is replaced at once instead of failing the request
    # (tests/reliability/test_postgres_restart.py). Django's pool is available with
    # GONGYOU_DB_POOL=1; it waits with back-off behind every dead idle connection after a
    # restart (1 + 2 + 4 … s), which made requests time out with several threads per process.
    # The check costs no round trip while the connection's socket has nothing to read
    # (gongyou/core/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "gongyou.core.db.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("GONGYOU_DB_POOL", False):
        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": 1,
                "max_size": int(env("GONGYOU_DB_POOL_SIZE") or "8"),
                "timeout": 10,
            }
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(env("GONGYOU_DB_CONN_MAX_AGE") or "600")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account/address is locked
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (docs/security.md): 5 wrong passwords for one username, or from one address, pause
# sign-in for that username / address for 15 minutes; a success resets the username's count.
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks; none
# by default):
# gongyou.core.middleware.ProxiedClientAddressMiddleware, docs/security.md.
TRUSTED_PROXIES = [
    a.strip() for a in (env("GONGYOU_TRUSTED_PROXIES") or "").split(",") if a.strip()
]
AXES_FAILURE_LIMIT = int(env("GONGYOU_LOGIN_FAILURE_LIMIT") or "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env("GONGYOU_LOGIN_COOLOFF_MINUTES") or "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongyou.accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]
# Two-factor sign-in (TOTP) for admins and roles that may reveal personal data
# (gongyou/accounts/twofactor.py). On by default; dev settings turn it off for `make run`.
TWO_FACTOR_REQUIRED = env_bool("GONGYOU_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Gongyou 工友"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads it to send X-CSRFToken

# --- Content security policy (django-csp; docs/security.md) ----------------------------------
# Enforced (not report-only) in every environment: scripts, styles, images, fonts and fetches
# from this origin only; no inline <script>, style="" or on*= handlers ('unsafe-inline' is never
# allowed) and no eval (htmx runs with allowEval off, see templates/base.html). tests/test_csp.py
# checks the header and that no page carries inline code; the browser tests fail on a violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: only for the icons Swagger UI's stylesheet embeds (/api/v1/docs).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise; every asset comes from an installed package) -------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Background tasks (django-tasks with the database backend; see docs/decisions/0003) ------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Personal-data encryption (see docs/decisions/0002) -------------------------------------
# GONGYOU_PII_KEYS: comma-separated "id:base64key" entries, the first encrypts, all decrypt.
# GONGYOU_PII_INDEX_KEY: base64 key of the keyed hash used for exact lookups.
PII_KEYS = env("GONGYOU_PII_KEYS") or ""
PII_INDEX_KEY = env("GONGYOU_PII_INDEX_KEY") or ""

NINJA_PAGINATION_MAX_LIMIT = 200
# Local time at which `gongyou scheduler` (started by `gongyou serve`) enqueues the daily jobs.
GONGYOU_DAILY_AT = env("GONGYOU_DAILY_AT") or "07:00"
# Seconds a web process may trust an authenticated API token before checking it again.
API_TOKEN_CACHE_SECONDS = int(env("GONGYOU_API_TOKEN_CACHE_SECONDS") or "10")
# Stations read by visit logging, cached per process (gongyou/stations/services.py).
VISIT_STATION_CACHE_SECONDS = int(env("GONGYOU_VISIT_STATION_CACHE_SECONDS") or "10")

# --- Rights-protection cases (docs/domains/cases.md) ----------------------------------------
# A deadline is "near" when this many calendar days or fewer are left.
CASES_DEADLINE_NEAR_DAYS = int(env("GONGYOU_CASES_DEADLINE_NEAR_DAYS") or "3")
# Early warning: this many wage-arrears cases against one employer or project in 12 months...
CASES_ARREARS_REPEAT_THRESHOLD = int(env("GONGYOU_CASES_ARREARS_REPEAT_THRESHOLD") or "2")
# ...or one case with at least this many claimants (a collective case) flags it.
CASES_COLLECTIVE_CLAIMANTS = int(env("GONGYOU_CASES_COLLECTIVE_CLAIMANTS") or "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("GONGYOU_LOG_LEVEL") or "WARNING"},
}


def require(value: str, name: str) -> str:
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment (see README).")
    return value


_ = _  # gettext_lazy kept for settings that name translatable strings
# Case evidence: stored outside the web root (never under STATIC_ROOT, no MEDIA_URL), served
# only through the case's access gate, every download audited (docs/domains/cases.md).
CASE_ATTACHMENTS_DIR = Path(env("GONGYOU_ATTACHMENTS_DIR") or (VAR_DIR / "attachments"))
CASE_ATTACHMENT_MAX_BYTES = int(env("GONGYOU_CASE_ATTACHMENT_MAX_BYTES") or str(20 * 1024 * 1024))
# Uploaded import files and finished exports: outside the web root, served only through their
# access gates (docs/domains/imports.md, exports.md).
IMPORTS_DIR = Path(env("GONGYOU_IMPORTS_DIR") or (VAR_DIR / "imports"))
# The largest import file (gongyou/imports/services.py answers `too_large` on the file field).
IMPORT_MAX_BYTES = int(env("GONGYOU_IMPORT_MAX_BYTES") or str(512 * 1024 * 1024))
# Worker imports of at least IMPORT_POOL_MIN_ROWS rows prepare batches (validate, hash, encrypt)
# in IMPORT_PROCESSES forked processes (0: one per CPU; 1: in the importing process itself)
# while the importing process writes in file order (gongyou/imports/pool.py).
IMPORT_PROCESSES = int(env("GONGYOU_IMPORT_PROCESSES") or "0")
IMPORT_POOL_MIN_ROWS = int(env("GONGYOU_IMPORT_POOL_MIN_ROWS") or 20_000)
EXPORTS_DIR = Path(env("GONGYOU_EXPORTS_DIR") or (VAR_DIR / "exports"))
# Worker portal sign-in codes (gongyou/portal/sms.py): the console backend prints them; the file
# backend writes them under GONGYOU_SMS_FILE_DIR; production sets a real provider's class.
GONGYOU_SMS_BACKEND = env("GONGYOU_SMS_BACKEND") or "gongyou.portal.sms.ConsoleBackend"
GONGYOU_SMS_FILE_DIR = env("GONGYOU_SMS_FILE_DIR") or str(VAR_DIR / "sms")

# --- Upload and request-size limits (docs/security.md) ---------------------------------------
# Per feature, a file over its limit is refused with a field error (422 from the API, the form
# re-shown on pages) and nothing is stored: CASE_ATTACHMENT_MAX_BYTES (case and nomination
# evidence), IMPORT_MAX_BYTES. Around them:
# - a request body larger than REQUEST_MAX_BYTES (for the import upload: IMPORT_MAX_BYTES plus
#   room for its other fields) is refused with 413 from its Content-Length, before anything
#   reads it (gongyou.core.middleware.RequestSizeLimitMiddleware): the portal complaint's three
#   evidence files fit, a stream of gigabytes is never spooled to disk;
# - form fields other than files: at most 2.5 MB in all and 1,000 of them (Django answers 400);
# - at most 10 files in one request (the portal complaint takes 3);
# - an uploaded file over 2.5 MB goes to a temporary file, never held in memory.
_MB = 1024 * 1024
REQUEST_MAX_BYTES = int(
    env("GONGYOU_REQUEST_MAX_BYTES") or str(max(64 * _MB, 3 * CASE_ATTACHMENT_MAX_BYTES + 4 * _MB))
)
REQUEST_MAX_BYTES_BY_PATH = {
    "/imports/new/": IMPORT_MAX_BYTES + _MB,
    "/api/v1/imports": IMPORT_MAX_BYTES + _MB,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * _MB)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * _MB)
