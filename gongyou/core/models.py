"""Kernel tables: the audit log shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what, when, to which record, with the state before and after.

    Written by services in the same transaction as the change (core.audit.audit_record).
    Personal data appears here only masked. `worker_id` ties an event to a worker, so the
    worker's timeline is a read of this table.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
        db_index=False,  # audit_actor_idx leads with it
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("actor organisation"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)  # audit_action_idx
    entity_type = models.CharField(_("record type"), max_length=64)
    entity_id = models.CharField(_("record id"), max_length=64)
    worker_id = models.BigIntegerField(_("worker"), null=True, blank=True)
    region_code = models.CharField(_("region"), max_length=6, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["entity_type", "entity_id"], name="audit_entity_idx"),
            models.Index(fields=["worker_id", "at"], name="audit_worker_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            # A plain index: db_index=True would add a LIKE-pattern twin on PostgreSQL.
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.entity_type}#{self.entity_id}"
