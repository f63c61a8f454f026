"""Settings for `make run` on a workstation: production-like, with keys from var/secrets.env."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, require

SECRET_KEY = require(SECRET_KEY, "GONGYOU_SECRET_KEY")

# `make run` is a workstation demo: two-factor sign-in only when asked for (production: always).
TWO_FACTOR_REQUIRED = env_bool("GONGYOU_REQUIRE_2FA", False)
