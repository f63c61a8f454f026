"""Settlement tables: a worker's social-insurance and residence history, facts staff declare,
city groups, settlement policies as versioned data, and stored eligibility answers.

Conditions and points items are JSON validated by `rules.py` (services refuse anything else), so
a new condition type is a code change in one module, never a migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.core.models import TimeStampedModel

from .enums import ContributionKind, FactKey, Outcome, Purpose, Route, Tenure, Trust, VersionStatus


class ContributionSpell(TimeStampedModel):
    """Months of one kind of social insurance paid in one prefecture-level city (both ends
    inclusive, counted by calendar month). `end` empty = still contributing."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="contribution_spells",
        verbose_name=_("worker"),
    )
    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    kind = models.CharField(_("insurance"), max_length=16, choices=ContributionKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("social-insurance contribution spell")
        ordering = ["worker", "start", "id"]
        indexes = [models.Index(fields=["worker", "city"], name="contrib_worker_city_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="contrib_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.city_id} {self.kind} {self.start}–{self.end or ''}"


class ResidenceSpell(TimeStampedModel):
    """Living in one prefecture-level city, with or without a residence permit there."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="residence_spells",
        verbose_name=_("worker"),
    )
    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    permit_held = models.BooleanField(_("residence permit held"), default=False)
    tenure = models.CharField(_("housing"), max_length=12, choices=Tenure.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("residence spell")
        ordering = ["worker", "start", "id"]
        indexes = [models.Index(fields=["worker", "city"], name="residence_worker_city_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="residence_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.city_id} {self.start}–{self.end or ''}"


class DeclaredFact(TimeStampedModel):
    """A fact about a worker the registry does not otherwise hold (no criminal record, honours…),
    recorded by staff after seeing the evidence; conditions and points items may name it."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="declared_facts",
        verbose_name=_("worker"),
    )
    key = models.CharField(_("fact"), max_length=32, choices=FactKey.choices)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    evidence = models.CharField(_("evidence seen"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("declared fact")
        ordering = ["worker", "key"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "key"], name="declared_fact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.key}={self.value}"


class CityGroup(TimeStampedModel):
    """Cities within which settlement years accumulate (mutual recognition in a metropolitan area
    or urban agglomeration)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    cities = models.ManyToManyField("regions.Region", related_name="+", verbose_name=_("cities"))
    source = models.CharField(_("source"), max_length=300)
    trust = models.CharField(_("trust"), max_length=1, choices=Trust.choices)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("city group")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SettlementPolicy(TimeStampedModel):
    """One city's policy for one purpose (hukou, or public services); its rules live in versions,
    at most one of them in force on any day."""

    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("settlement policy")
        ordering = ["city", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["city", "purpose"], name="policy_city_purpose_unique")
        ]

    def __str__(self) -> str:
        return self.name


class VersionedRuleSet(TimeStampedModel):
    """What every versioned rule set has (settlement policy versions and public-service versions,
    ADR 0012; written by `services.versioning`): its number in its series, the lifecycle status,
    the days it is in force (inclusive; `effective_to` empty = open), `conditions` in the shapes
    `rules.py` defines, where it comes from (`source`, `trust`, `summary`), the optimistic edit
    `version`, when it was published and who drafted it. A subclass adds the foreign key to its
    parent (the series), its own fields, and its constraints and indexes."""

    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500)
    trust = models.CharField(_("trust"), max_length=1, choices=Trust.choices)
    summary = models.TextField(_("summary"), blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True


class PolicyVersion(VersionedRuleSet):
    """The rules of a policy from `effective_from` to `effective_to` (inclusive; empty = open).

    `conditions` and `points_items` are lists of dicts in the shapes `rules.py` defines; each
    carries its own `trust` and `source`, so a page can mark a single unverified item.
    """

    policy = models.ForeignKey(
        SettlementPolicy,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("policy"),
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    points_items = models.JSONField(_("points items"), default=list, blank=True)
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    last_cutoff = models.DecimalField(
        _("last cut-off score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    cutoff_year = models.PositiveSmallIntegerField(_("cut-off year"), null=True, blank=True)
    annual_quota = models.PositiveIntegerField(_("annual quota"), null=True, blank=True)
    group = models.ForeignKey(
        CityGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_versions",
        verbose_name=_("years accumulate within"),
    )

    class Meta:
        verbose_name = _("policy version")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_number"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="policy_version_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["policy", "status", "effective_from"], name="policy_version_idx")
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    def in_force_on(self, day: object) -> bool:
        return (
            self.status == VersionStatus.PUBLISHED
            and self.effective_from <= day  # type: ignore[operator]
            and (self.effective_to is None or day <= self.effective_to)  # type: ignore[operator]
        )


class EligibilityResult(models.Model):
    """A stored answer (batch run or a saved page answer): reproducible from the cited version,
    the `as_of` date and the inputs summarised in `detail`."""

    worker = models.ForeignKey(
        "workers.Worker",
        on_delete=models.CASCADE,
        related_name="settlement_results",
        verbose_name=_("worker"),
    )
    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("policy version"),
    )
    as_of = models.DateField(_("as of"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True)
    detail = models.JSONField(_("detail"), default=dict)
    batch = models.CharField(_("batch"), max_length=40, blank=True, db_index=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("eligibility result")
        ordering = ["-computed_at", "-id"]
        indexes = [
            models.Index(fields=["city", "outcome"], name="elig_city_outcome_idx"),
            models.Index(fields=["worker", "-computed_at"], name="elig_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.city_id} {self.outcome}"
