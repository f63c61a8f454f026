"""Administrative divisions (GB/T 2260) and the city-size class of prefecture-level cities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import CitySizeClass, RegionLevel, Trust


class Region(models.Model):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    # City size class (2014 standard) — prefecture-level cities only; unknown stays blank.
    size_class = models.CharField(
        _("city size class"), max_length=12, choices=CitySizeClass.choices, blank=True
    )
    urban_core_population = models.PositiveIntegerField(
        _("urban-core resident population"), null=True, blank=True
    )
    size_year = models.PositiveSmallIntegerField(_("census/statistics year"), null=True, blank=True)
    size_source = models.CharField(_("source"), max_length=300, blank=True)
    size_trust = models.CharField(_("trust"), max_length=1, choices=Trust.choices, blank=True)
    population_trust = models.CharField(
        _("population trust"), max_length=1, choices=Trust.choices, blank=True
    )

    class Meta:
        verbose_name = _("region")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_idx")]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def scope_prefix(self) -> str:
        """Leading digits shared by every code in this region's subtree."""
        return scope_prefix(self.code, self.level)


def scope_prefix(code: str, level: str) -> str:
    if level == RegionLevel.PROVINCE:
        return code[:2]
    if level == RegionLevel.CITY:
        return code[:4]
    return code


def code_range(prefix: str) -> tuple[str, str | None]:
    """[low, high) bounds of the 6-digit codes that start with `prefix`; high None = unbounded.

    A range, not LIKE 'prefix%', so a plain b-tree index serves it under any collation.
    """
    if not prefix or set(prefix) == {"9"}:
        return prefix.ljust(6, "0"), None
    low = prefix.ljust(6, "0")
    high = str(int(prefix) + 1).zfill(len(prefix)).ljust(6, "0")
    return low, high
