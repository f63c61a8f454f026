"""Settings for `make run` on a workstation: production-like, with keys from var/secrets.env."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, require

SECRET_KEY = require(SECRET_KEY, "GONGYOU_SECRET_KEY")
