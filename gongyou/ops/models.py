"""Operations tables: the live background-task workers (their heartbeats).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-task (SIGKILL, out of memory, a lost machine) would leave it RUNNING forever.
Each `gongyou worker` therefore registers here and renews `expires_at` every few seconds;
gongyou/ops/taskworkers.py re-queues the RUNNING tasks of workers that stopped renewing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    # django-tasks-db's worker id (it appends it to DBTaskResult.worker_ids when claiming).
    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    # Host name and PID namespace: a PID is only meaningful on the host (and namespace) that
    # gave it, so only a worker of the same `host` may be declared dead by its PID being gone.
    host = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last heartbeat"))
    # Dead when not renewed by then (the worker sets it: now + its own time-to-live).
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host} pid {self.pid})"
