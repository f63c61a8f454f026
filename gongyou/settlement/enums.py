"""Choices of the settlement app and the lifecycle of a policy version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionKind(models.TextChoices):
    """The five social-insurance types (五险) plus the housing fund, as contributions are recorded."""

    PENSION = "pension", _("Pension insurance")
    MEDICAL = "medical", _("Medical insurance")
    UNEMPLOYMENT = "unemployment", _("Unemployment insurance")
    WORK_INJURY = "work_injury", _("Work-injury insurance")
    MATERNITY = "maternity", _("Maternity insurance")
    HOUSING_FUND = "housing_fund", _("Housing provident fund")


class Tenure(models.TextChoices):
    OWNED = "owned", _("Owned housing")
    RENTED = "rented", _("Rented housing (registered lease)")
    DORMITORY = "dormitory", _("Employer dormitory")
    OTHER = "other", _("Other (relatives, unregistered)")


class Purpose(models.TextChoices):
    """What a policy opens. Shanghai's residence-permit points open public services, not hukou."""

    HUKOU = "hukou", _("Settlement (hukou)")
    SERVICES = "services", _("Public services (not hukou)")


class Route(models.TextChoices):
    NO_RESTRICTION = "no_restriction", _("No restriction")
    RELAXED = "relaxed", _("Relaxed conditions")
    CONDITIONS = "conditions", _("Conditions (city-specific)")
    POINTS = "points", _("Points-based")


class Trust(models.TextChoices):
    """How far to trust a fact (docs: ../shared/domain-facts.md)."""

    VERIFIED = "V", _("Verified")
    SECONDARY = "S", _("Secondary source")
    UNVERIFIED = "U", _("Unverified")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A published version is frozen (answers cite it and must be reproducible); it is withdrawn, never
# edited. A draft is edited freely, published, or withdrawn (discarded).
VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.PUBLISHED, VersionStatus.WITHDRAWN}),
    VersionStatus.PUBLISHED: frozenset({VersionStatus.WITHDRAWN}),
    VersionStatus.WITHDRAWN: frozenset(),
}


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    SUBJECT_TO_CHECKS = "subject_to_checks", _("Eligible, subject to checks")
    NOT_YET = "not_yet", _("Not yet")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNKNOWN = "unknown", _("Cannot tell (policy details not recorded)")
    NO_POLICY = "no_policy", _("No policy recorded")


# Ranking order of outcomes in "where can this worker settle" (best first).
OUTCOME_RANK: dict[str, int] = {
    Outcome.ELIGIBLE: 0,
    Outcome.SUBJECT_TO_CHECKS: 1,
    Outcome.NOT_YET: 2,
    Outcome.UNKNOWN: 3,
    Outcome.NOT_ELIGIBLE: 4,
    Outcome.NO_POLICY: 5,
}


class ConditionStatus(models.TextChoices):
    MET = "met", _("Met")
    UNMET = "unmet", _("Not met")
    UNKNOWN = "unknown", _("To be checked")


class FactKey(models.TextChoices):
    """Facts about a worker that the registry does not hold but policies ask about. Staff record
    them per worker (DeclaredFact); a condition or points item names one of these keys."""

    NO_CRIMINAL_RECORD = "no_criminal_record", _("No criminal record (1 = confirmed)")
    NO_DISQUALIFYING_RECORD = (
        "no_disqualifying_record",
        _("No disqualifying record (1 = confirmed)"),
    )
    INCOME_TAX_PAID = "income_tax_paid", _("Pays income tax in the city (1 = yes)")
    STABLE_EMPLOYMENT = "stable_employment", _("Stable legal employment or business (1 = yes)")
    PROFESSIONAL_TITLE = (
        "professional_title",
        _("Professional title (0 none, 1 junior, 2 intermediate, 3 senior)"),
    )
    TAX_YEARS = "tax_years", _("Qualifying tax years")
    TAX_VIOLATIONS = "tax_violations", _("Tax-violation records")
    ADMINISTRATIVE_DETENTIONS = "administrative_detentions", _("Administrative detentions")
    HONOURS = "honours", _("Honours at provincial/ministerial level or above")
    INNOVATION_POINTS = "innovation_points", _("Innovation and entrepreneurship points")
    OUTER_DISTRICT_POINTS = (
        "outer_district_points",
        _("Job/home location points (moving out of the core districts)"),
    )
    INSURANCE_BASE_BONUS = "insurance_base_bonus", _("Social-insurance base bonus points")
    OUTSTANDING_MIGRANT_WORKER = (
        "outstanding_migrant_worker",
        _("Named an outstanding migrant worker in the city (1 = yes)"),
    )
