"""Registry indicators: registered workers by sex, age band, education, industry, employment
form, and migration (local / outbound within the province / cross-province)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Value, When
from django.utils.translation import gettext_lazy as _

from gongyou.classifications.enums import EducationLevel, EmploymentForm, Industry, Sex
from gongyou.workers.enums import MigrationScope
from gongyou.workers.policies import workers_visible_to

from .. import rollups
from ..aggregate import by_category
from ..registry import Context, Indicator, Table, register, register_group
from .common import as_of, can_view_workers, period_bounds

register_group("registry", _("Registered migrant workers"))

SOURCE = _(
    "Worker records in the registry (merged duplicates excluded), counted in the region of "
    "their current place of work."
)
FILTERS = _(
    "Registered on or before the last day of the period; the selected region and its "
    "subdivisions; only records your organisation may see."
)
TOTAL = _("Total")
NOT_GIVEN = _("Not given")


def _registered(ctx: Context):
    return workers_visible_to(ctx.actor).filter(created_at__lt=as_of(ctx))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


AGE_BANDS = [
    ("16_30", _("30 or younger")),
    ("31_40", _("31–40")),
    ("41_50", _("41–50")),
    ("51_plus", _("Over 50")),
]


def age_band_expression(end: dt.date) -> Case:
    """The age band on `end` (a CASE on the birth date, so the database groups by it)."""
    return Case(
        When(birth_date__gt=_years_before(end, 31), then=Value("16_30")),
        When(birth_date__gt=_years_before(end, 41), then=Value("31_40")),
        When(birth_date__gt=_years_before(end, 51), then=Value("41_50")),
        default=Value("51_plus"),
    )


def age_band_of(birth_date: dt.date, end: dt.date) -> str:
    """The same band in Python, for one worker (the rollup catch-up)."""
    for years, band in ((31, "16_30"), (41, "31_40"), (51, "41_50")):
        if birth_date > _years_before(end, years):
            return band
    return "51_plus"


def _counts(ctx: Context, *, dimension: str, category: Any, choices: Any, other: bool) -> Table:
    """Registered workers by one attribute: from the worker rollup when it was refreshed on the
    period's last day (plus the workers registered since, by primary key), else counted."""
    qs = _registered(ctx)
    extra = None
    state = rollups.worker_rollup_state(ctx)
    if state is not None:
        extra = rollups.worker_rollup_counts(ctx, dimension=dimension)
        qs = qs.filter(pk__gt=state.high_water or 0)
    return by_category(
        qs,
        ctx,
        region_field="current_region_id",
        category=category,
        choices=choices,
        measure=Count("id"),
        total_label=TOTAL,
        other_label=NOT_GIVEN if other else None,
        extra=extra,
    )


def _by(field: str, choices: Any, *, other: bool = True) -> Any:
    def compute(ctx: Context) -> Table:
        return _counts(ctx, dimension=field, category=field, choices=choices, other=other)

    return compute


def _age(ctx: Context) -> Table:
    return _counts(
        ctx,
        dimension="age_band",
        category=age_band_expression(ctx.end),
        choices=AGE_BANDS,
        other=False,
    )


def _new(ctx: Context) -> Table:
    start, end = period_bounds(ctx)
    qs = workers_visible_to(ctx.actor).filter(created_at__gte=start, created_at__lt=end)
    return by_category(
        qs,
        ctx,
        region_field="current_region_id",
        category="migration_scope",
        choices=MigrationScope.choices,
        measure=Count("id"),
        total_label=TOTAL,
    )


def _define(key: str, title, counts, compute, caveat="", period: str = "stock") -> None:
    register(
        Indicator(
            key=key,
            title=title,
            group="registry",
            counts=counts,
            source=SOURCE,
            filters=FILTERS
            if period == "stock"
            else _(
                "Registered within the period; the selected region and its subdivisions; only "
                "records your organisation may see."
            ),
            unit=_("workers"),
            period=period,
            compute=compute,
            available=can_view_workers,
            caveat=caveat,
        )
    )


_define(
    "workers_by_sex",
    _("Registered workers by sex"),
    _("Registered migrant workers, by the sex recorded from their ID number."),
    _by("sex", Sex.choices, other=False),
    _("NBS 2024 survey for comparison: male 62.4%, female 37.6%."),
)
_define(
    "workers_by_age_band",
    _("Registered workers by age band"),
    _("Registered migrant workers, by their age on the last day of the period."),
    _age,
    _("NBS 2024 survey for comparison: 40 or younger 43.7%, 41–50 24.7%, over 50 31.6%."),
)
_define(
    "workers_by_education",
    _("Registered workers by education"),
    _("Registered migrant workers, by their highest completed education."),
    _by("education", EducationLevel.choices),
)
_define(
    "workers_by_industry",
    _("Registered workers by industry"),
    _("Registered migrant workers, by the industry (NBS survey sectors) of their current work."),
    _by("industry", Industry.choices),
    _("NBS 2024 survey for comparison: manufacturing 27.9%, construction 14.3%."),
)
_define(
    "workers_by_employment_form",
    _("Registered workers by employment form"),
    _(
        "Registered migrant workers, by their form of employment (including the three new "
        "employment forms of the 2021 guideline)."
    ),
    _by("employment_form", EmploymentForm.choices),
)
_define(
    "workers_by_migration",
    _("Registered workers: local, outbound and cross-province"),
    _(
        "Registered migrant workers, by where they work relative to their hukou: within the home "
        "county (local), outside it within the province, or in another province."
    ),
    _by("migration_scope", MigrationScope.choices, other=False),
    _(
        "The survey's 'local' means within the home township; the registry knows counties, so "
        "'local' here means within the home county. NBS 2024: outbound 59.6%, of whom 38.3% "
        "cross-province."
    ),
)
_define(
    "workers_registered_in_period",
    _("New registrations"),
    _("Workers added to the registry within the period, by migration."),
    _new,
    period="flow",
)
