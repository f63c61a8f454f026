"""Reads of import jobs and their errors, always from the policy's scoped queryset."""

from __future__ import annotations

from django.db.models import QuerySet

from gongyou.accounts.policies import Actor

from .models import ImportJob, ImportRowError
from .policies import import_require_visible, imports_visible_to


def import_list(*, actor: Actor) -> QuerySet[ImportJob]:
    return imports_visible_to(actor).select_related("created_by").order_by("-id")


def import_get(*, actor: Actor, job_id: int) -> ImportJob:
    return import_require_visible(actor, job_id)


def import_errors(*, actor: Actor, job_id: int) -> QuerySet[ImportRowError]:
    job = import_require_visible(actor, job_id)
    return ImportRowError.objects.filter(job=job).order_by("row", "id")
