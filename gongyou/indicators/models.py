"""Rollups: visit counts per day, county, station type and service, and registered workers per
county and attribute, kept current by the `indicators_refresh` task so that dashboards never
scan the visits or workers tables at national scale (docs/decisions/0010). They hold no
personal data and are derived only: recomputing them from the records gives the same rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitDayRollup(models.Model):
    day = models.DateField(_("day"))
    region = models.CharField(_("region"), max_length=6)  # the station's region code
    station_type = models.CharField(_("station type"), max_length=20)
    service = models.CharField(_("service"), max_length=24)
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        verbose_name = _("visit rollup")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region", "station_type", "service"], name="visit_rollup_unique"
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="visit_rollup_region_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.region} {self.service}: {self.visits}"


class WorkerRollup(models.Model):
    """Registered workers per current region and one attribute value (sex, age band, ...), as
    of `day`: one row per (day, region, dimension, value)."""

    day = models.DateField(_("as of"))
    region = models.CharField(_("region"), max_length=6)  # the worker's current region code
    dimension = models.CharField(_("dimension"), max_length=20)
    value = models.CharField(_("value"), max_length=24)
    workers = models.PositiveIntegerField(_("workers"))

    class Meta:
        verbose_name = _("worker rollup")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "region", "value"], name="worker_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region} {self.dimension}={self.value}: {self.workers}"


class RollupState(models.Model):
    """When a rollup was last recomputed: days before `complete_before` are complete in it."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    complete_before = models.DateField(_("complete before"))
    # Workers: the highest worker id counted; newer rows are counted directly (by primary key).
    high_water = models.BigIntegerField(_("highest id counted"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%Y-%m-%d %H:%M}"
