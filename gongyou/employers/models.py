"""Employers: the organisations workers work for, respondents in cases and (later) posters of jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import Industry
from gongyou.core.models import TimeStampedModel

from .enums import EmployerSize


class Employer(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    # Blank for respondents without one (an individual labour contractor, 包工头); unique otherwise.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    size_class = models.CharField(
        _("size"), max_length=10, choices=EmployerSize.choices, default=EmployerSize.UNKNOWN
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Early warning for wage arrears: set and cleared only by employer_set_arrears_flag.
    arrears_flagged = models.BooleanField(_("flagged for wage arrears"), default=False)
    arrears_flag_reason = models.CharField(_("flag reason"), max_length=300, blank=True)
    arrears_flag_changed_at = models.DateTimeField(_("flag changed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("employer")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="employer_unique_credit_code",
            )
        ]
        indexes = [
            models.Index(fields=["region", "name"], name="employer_region_idx"),
            models.Index(fields=["arrears_flagged", "region"], name="employer_flag_idx"),
        ]

    def __str__(self) -> str:
        return self.name
