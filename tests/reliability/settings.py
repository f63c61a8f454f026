"""Settings of the processes the reliability tests start (task workers, servers): the test
settings on a database shared with the test (DATABASE_URL), with the real database task queue
instead of the immediate backend, and short time limits so a fault is recovered in seconds."""

from gongyou.config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An import whose run stopped renewing its heartbeat for this long is taken for dead and resumed
# by the next delivery of its task (gongyou/imports/services.py; production: 300 s).
IMPORT_STALE_SECONDS = 2
