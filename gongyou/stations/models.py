"""Service stations and the visits logged at them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyou.core.models import TimeStampedModel

from .enums import ServiceType, StationType


class Station(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=20, choices=StationType.choices, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    phone = models.CharField(_("station telephone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service station")
        ordering = ["region_id", "code"]
        indexes = [
            models.Index(fields=["region", "type"], name="station_region_idx"),
            models.Index(fields=["latitude", "longitude"], name="station_latlng_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    # The two foreign keys have no index of their own: visit_station_at_idx and
    # visit_worker_at_idx lead with them. Fewer indexes on the hottest insert (one visit a
    # request): benchmarks/RESULTS.md, load test.
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("station"),
        db_index=False,
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    service = models.CharField(_("service"), max_length=24, choices=ServiceType.choices)
    worker = models.ForeignKey(
        "workers.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("worker"),
        db_index=False,
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Unique through a constraint rather than unique=True, which on PostgreSQL also builds a
    # second (LIKE-pattern) index that no query uses.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service visit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["station", "at"], name="visit_station_at_idx"),
            models.Index(fields=["worker", "at"], name="visit_worker_at_idx"),
            models.Index(fields=["at"], name="visit_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="visit_idempotency_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.service} {self.at:%Y-%m-%d %H:%M}"
