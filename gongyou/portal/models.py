"""The worker's portal identity (a mobile number proven by a one-time code), sign-in codes and
locks, self-registrations a station confirms, and correction requests staff handle.

Workers are not staff users: they have no row in accounts.User, no password and no roles. A
`PortalAccount` is their identity; the session holds its id (docs/decisions/0011).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import CorrectionField, CorrectionStatus, RegistrationKind, RegistrationStatus


class PortalAccount(models.Model):
    """One mobile number that signed in; linked to at most one registry worker."""

    phone_enc = models.TextField(_("mobile (encrypted)"))
    phone_hash = models.CharField(_("mobile lookup hash"), max_length=64, unique=True)
    phone_masked = models.CharField(_("mobile"), max_length=11)
    worker = models.OneToOneField(
        "workers.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_account",
        verbose_name=_("worker"),
    )
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    # Bumped on sign-out and when the link changes: sessions carrying an older value end.
    session_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("portal account")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.phone_masked


class SignInCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is stored."""

    phone_hash = models.CharField(_("mobile lookup hash"), max_length=64)
    phone_enc = models.TextField(_("mobile (encrypted)"))
    code_hash = models.CharField(_("code hash"), max_length=64)
    salt = models.CharField(_("salt"), max_length=32)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="signin_code_phone_idx"),
            models.Index(fields=["ip_address", "created_at"], name="signin_code_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class SignInLock(models.Model):
    """Too many wrong codes: the number may not sign in (or get codes) until `locked_until`."""

    phone_hash = models.CharField(_("mobile lookup hash"), max_length=64, db_index=True)
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"))
    failures = models.PositiveSmallIntegerField(_("wrong codes"))

    class Meta:
        verbose_name = _("sign-in lock")
        ordering = ["-locked_until", "-id"]

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]} until {self.locked_until:%H:%M}"


class SelfRegistration(models.Model):
    """A worker's request, from the portal, to be registered or linked; a station confirms it
    after seeing the ID card."""

    account = models.ForeignKey(
        PortalAccount,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("portal account"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RegistrationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    national_id_enc = models.TextField(_("ID number (encrypted)"))
    national_id_hash = models.CharField(_("ID number lookup hash"), max_length=64, db_index=True)
    national_id_masked = models.CharField(_("ID number"), max_length=18)
    current_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current region"),
    )
    # The county in the ID number (where it was issued), when today's table knows it.
    hukou_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hukou region"),
    )
    # Set for a LINK request (the record the ID number matched), and on confirmation.
    worker = models.ForeignKey(
        "workers.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("self-registration")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="selfreg_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="pending"),
                name="selfreg_one_pending_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.national_id_masked}) {self.status}"


class CorrectionRequest(models.Model):
    """A worker asks for something held about them to be corrected; staff answer it."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.PROTECT,
        related_name="correction_requests",
        verbose_name=_("worker"),
    )
    field = models.CharField(_("what"), max_length=16, choices=CorrectionField.choices)
    requested_value = models.CharField(_("correct value"), max_length=300)
    explanation = models.CharField(_("explanation"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    reply = models.CharField(_("reply to the worker"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("correction request")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status_idx")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.field} {self.status}"
