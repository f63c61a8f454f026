"""Production settings: HTTPS only, secure cookies, HSTS; every secret from the environment."""

from .base import *  # noqa: F403
from .base import PII_INDEX_KEY, PII_KEYS, SECRET_KEY, env, env_bool, require

SECRET_KEY = require(SECRET_KEY, "GONGYOU_SECRET_KEY")
require(PII_KEYS, "GONGYOU_PII_KEYS")
require(PII_INDEX_KEY, "GONGYOU_PII_INDEX_KEY")
DEBUG = False
SECURE_SSL_REDIRECT = env_bool("GONGYOU_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("GONGYOU_HSTS_SECONDS") or "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
TWO_FACTOR_REQUIRED = True  # admins and roles that may reveal personal data (docs/security.md)
