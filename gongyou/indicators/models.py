"""Rollups: visit counts per day, county, station type and service, and registered workers per
county and attribute, kept current by the `indicators_refresh` (full, daily) and
`indicators_catch_up` (every few minutes) tasks so that dashboards never scan the visits or
workers tables at national scale (docs/decisions/0010). They are derived only: recomputing
them from the records gives the same rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitDayRollup(models.Model):
    """Visits per day, region, station type and service, kept at three levels of region: the
    station's own region code (digits=6), its city (4: "440300") and its province (2:
    "440000"), so that a national view reads the province rows, a province view the city rows
    and a city view the county rows, never summing the finest level."""

    digits = models.PositiveSmallIntegerField(_("region digits"), default=6)
    day = models.DateField(_("day"))
    region = models.CharField(_("region"), max_length=6)  # the station's region, cut to `digits`
    station_type = models.CharField(_("station type"), max_length=20)
    service = models.CharField(_("service"), max_length=24)
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        verbose_name = _("visit rollup")
        constraints = [
            models.UniqueConstraint(
                fields=["digits", "day", "region", "station_type", "service"],
                name="visit_rollup_unique",
            )
        ]
        indexes = [models.Index(fields=["digits", "region", "day"], name="visit_rollup_region_idx")]

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


class WorkerRollupEntry(models.Model):
    """One registered worker as the worker rollup counts them (region and attributes at the last
    refresh or catch-up), so that a catch-up can take a changed worker out of the rows it was
    counted in and add it to its new ones. Holds no name, ID number or contact."""

    worker_id = models.BigIntegerField(_("worker"), primary_key=True)
    region = models.CharField(_("region"), max_length=6)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"))
    education = models.CharField(_("education"), max_length=24, blank=True)
    industry = models.CharField(_("industry"), max_length=24, blank=True)
    employment_form = models.CharField(_("employment form"), max_length=24, blank=True)
    migration_scope = models.CharField(_("migration"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("worker rollup entry")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.region}"


class StationRollupEntry(models.Model):
    """A station's region and type as the visit rollup counts its visits, so that a catch-up
    notices a station moved or retyped since (its visits then count elsewhere)."""

    station_id = models.BigIntegerField(_("station"), primary_key=True)
    region = models.CharField(_("region"), max_length=6)
    station_type = models.CharField(_("station type"), max_length=20)

    class Meta:
        verbose_name = _("station rollup entry")

    def __str__(self) -> str:
        return f"{self.station_id} {self.region} {self.station_type}"


class RollupState(models.Model):
    """When a rollup was last recomputed and up to where it counts the records."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    # Workers: the day the rollup counts the stock as of (age bands are that day's).
    complete_before = models.DateField(_("complete before"))
    # The highest record id counted (visits or workers); newer rows are counted directly, by
    # primary key, so a read scans only what arrived since the last refresh or catch-up.
    high_water = models.BigIntegerField(_("highest id counted"), null=True, blank=True)
    # Workers: changes made from this moment on are folded in by the next catch-up.
    changes_since = models.DateTimeField(_("changes since"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%Y-%m-%d %H:%M}"
