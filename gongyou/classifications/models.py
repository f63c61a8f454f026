"""Occupations keyed by the 2022 Occupational Classification Dictionary codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OccupationLevel(models.TextChoices):
    MAJOR = "major", _("Major group")
    MID = "mid", _("Mid group")
    OCCUPATION = "occupation", _("Occupation")


class Occupation(models.Model):
    code = models.CharField(_("code"), max_length=12, primary_key=True)  # e.g. 6-18-02-04
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=OccupationLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    dictionary_version = models.CharField(_("dictionary edition"), max_length=10, default="2022")
    trust = models.CharField(_("trust"), max_length=1, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("occupation")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def mid_group_code(self) -> str:
        return "-".join(self.code.split("-")[:2])
