"""Test settings: fixed throw-away keys (never used outside tests), fast hashing, immediate tasks."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
# Throw-away keys for tests only (32 zero-ish bytes); real keys come from the environment.
PII_KEYS = "t1:dGVzdC1vbmx5LWtleS0xLTMyLWJ5dGVzLWxvbmcteHg=,t0:dGVzdC1vbmx5LWtleS0wLTMyLWJ5dGVzLWxvbmcteHg="
PII_INDEX_KEY = "dGVzdC1vbmx5LWluZGV4LWtleS0zMi1ieXRlcy1sb25n"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(
    "DATABASE_URL"
):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON;"}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # PostgreSQL
    DATABASES["default"].pop("OPTIONS", None)
LANGUAGE_CODE = (
    "en"  # assertions read English msgids; tests/test_i18n.py checks the Chinese default
)
STATIC_ROOT = None  # type: ignore[assignment]  # tests never collect static files; WhiteNoise serves them from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
API_TOKEN_CACHE_SECONDS = 0  # tests see revocations and deactivations at once
VISIT_STATION_CACHE_SECONDS = 0  # tests see station changes at once
import tempfile  # noqa: E402

CASE_ATTACHMENTS_DIR = Path(tempfile.mkdtemp(prefix="gongyou-test-attachments-"))
CASE_ATTACHMENT_MAX_BYTES = 64 * 1024
TWO_FACTOR_REQUIRED = False  # gongyou/accounts/tests/test_security.py turns it on
GONGYOU_SMS_BACKEND = "gongyou.portal.sms.MemoryBackend"
# The enforced CONTENT_SECURITY_POLICY of base.py applies unchanged: tests/test_csp.py checks
# the header and the pages, and the browser tests (tests/e2e) fail on any violation.
