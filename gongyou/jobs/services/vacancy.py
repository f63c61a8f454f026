"""Vacancies: post (officers, or employer users through the API), edit, move along the table."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import SkillLevel
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.errors import FieldError, FieldErrors, PermissionDenied
from gongyou.employers.models import Employer
from gongyou.employers.selectors import employers_by_ids

from ..enums import (
    EMPLOYER_USER,
    VACANCY_TRANSITIONS,
    ContractType,
    HousingMeals,
    ShiftPattern,
    SocialInsurance,
    VacancyStatus,
)
from ..matching import mid_group_of
from ..models import Vacancy
from ..policies import (
    employer_id_for,
    jobs_roles,
    vacancy_require_can_edit,
    vacancy_require_can_post,
)
from .common import (
    EmployerFlagged,
    TransitionNotAllowed,
    bump,
    clean_choice,
    clean_day,
    clean_int,
    clean_occupation,
    clean_region,
    clean_text,
    clean_version,
    lock,
    organisation_of,
    region_coordinates,
    user_of,
)

VACANCY_FIELDS = [
    "employer",
    "title",
    "occupation",
    "skill_level",
    "headcount",
    "wage_min",
    "wage_max",
    "region",
    "address",
    "latitude",
    "longitude",
    "contract_type",
    "social_insurance",
    "housing_meals",
    "shift_pattern",
    "closing_date",
    "description",
    "status",
]
EDITABLE = [f for f in VACANCY_FIELDS if f not in ("employer", "status")]


def _clean_coordinate(
    field: str, value: Any, errors: FieldErrors, low: float, high: float
) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.add(field, "invalid_number", _("Enter a number in decimal degrees."))
        return None
    if not low <= number <= high:
        errors.add(
            field, "out_of_range", _("Enter a value from %(a)s to %(b)s.") % {"a": low, "b": high}
        )
        return None
    return number


def _clean(
    data: dict[str, Any], errors: FieldErrors, *, actor: Actor, partial: bool
) -> dict[str, Any]:
    """Clean the fields present in `data` (all of them unless `partial`)."""
    out: dict[str, Any] = {}

    def has(name: str) -> bool:
        return not partial or name in data

    if has("title"):
        out["title"] = clean_text("title", data.get("title"), errors, required=True, limit=100)
    if has("occupation"):
        code = clean_occupation(
            "occupation", data.get("occupation"), errors, required=True, occupation_only=True
        )
        out["occupation_id"] = code or None
        out["mid_group"] = mid_group_of(code) if code else ""
    if has("skill_level"):
        level = data.get("skill_level")
        out["skill_level"] = None
        if level not in (None, ""):
            if str(level) not in {str(v) for v in SkillLevel.values}:
                errors.add("skill_level", "invalid_choice", _("Choose a skill level from 1 to 5."))
            else:
                out["skill_level"] = int(str(level))
    if has("headcount"):
        out["headcount"] = clean_int(
            "headcount", data.get("headcount"), errors, required=True, low=1, high=10000
        )
    for name in ("wage_min", "wage_max"):
        if has(name):
            out[name] = clean_int(name, data.get(name), errors, required=True, low=1)
    if has("region"):
        code = clean_region("region", data.get("region"), errors)
        if code and EMPLOYER_USER not in jobs_roles(actor) and not actor.covers_region(code):
            errors.add("region", "out_of_scope", _("The region is outside your area."))
        out["region_id"] = code or None
    if has("address"):
        out["address"] = clean_text(
            "address", data.get("address"), errors, required=False, limit=200
        )
    if has("latitude") or has("longitude"):
        lat = _clean_coordinate("latitude", data.get("latitude"), errors, -90, 90)
        lon = _clean_coordinate("longitude", data.get("longitude"), errors, -180, 180)
        if (lat is None) != (lon is None):
            errors.add(
                "longitude", "incomplete", _("Give both latitude and longitude, or neither.")
            )
        out["latitude"], out["longitude"] = lat, lon
    choices = {
        "contract_type": ContractType.values,
        "social_insurance": SocialInsurance.values,
        "housing_meals": HousingMeals.values,
        "shift_pattern": ShiftPattern.values,
    }
    for name, values in choices.items():
        if has(name):
            out[name] = clean_choice(name, data.get(name), values, errors, required=True)
    if has("closing_date"):
        closing = clean_day("closing_date", data.get("closing_date"), errors, required=True)
        if closing is not None and closing < timezone.localdate() and not partial:
            errors.add("closing_date", "in_past", _("The closing date has passed."))
            closing = None
        out["closing_date"] = closing
    if has("description"):
        out["description"] = clean_text(
            "description", data.get("description"), errors, required=False, limit=4000
        )
    return out


def _check_wages(values: dict[str, Any], errors: FieldErrors) -> None:
    low, high = values.get("wage_min"), values.get("wage_max")
    if low is not None and high is not None and high < low:
        errors.add("wage_max", "below_minimum", _("The top of the range is below its bottom."))


def _place(values: dict[str, Any]) -> None:
    """Coordinates from the region reference data when none were given."""
    if values.get("latitude") is None and values.get("region_id"):
        values["latitude"], values["longitude"] = region_coordinates().get(
            values["region_id"], (None, None)
        )


def _employer(actor: Actor, data: dict[str, Any], errors: FieldErrors) -> Employer | None:
    own = employer_id_for(actor)
    if EMPLOYER_USER in jobs_roles(actor):
        return Employer.objects.get(pk=own or 0)
    raw = data.get("employer_id")
    if raw in (None, ""):
        errors.add("employer_id", "required", _("Choose the employer."))
        return None
    if not str(raw).isdigit():
        errors.add("employer_id", "invalid_type", _("An id is a whole number."))
        return None
    employer = employers_by_ids(actor=actor, ids=[int(str(raw))]).get(int(str(raw)))
    if employer is None:
        errors.add("employer_id", "not_found", _("No such employer in your area."))
    return employer


def _require_not_flagged(employer: Employer) -> None:
    if employer.arrears_flagged:
        raise EmployerFlagged(
            _("%(name)s is flagged for wage arrears (%(reason)s); clear the flag first.")
            % {"name": employer.name, "reason": employer.arrears_flag_reason}
        )


@transaction.atomic
def vacancy_create(*, actor: Actor, data: dict[str, Any], publish: bool = False) -> Vacancy:
    """Post a vacancy (a draft, or open at once with `publish`). Every bad field is named."""
    vacancy_require_can_post(actor)
    errors = FieldErrors()
    employer = _employer(actor, data, errors)
    values = _clean(data, errors, actor=actor, partial=False)
    _check_wages(values, errors)
    errors.raise_if_any()
    assert employer is not None
    if publish:
        _require_not_flagged(employer)
    _place(values)
    vacancy = Vacancy.objects.create(
        employer=employer,
        organisation_id=organisation_of(actor),
        created_by=user_of(actor),
        posted_by_employer=EMPLOYER_USER in jobs_roles(actor),
        status=VacancyStatus.OPEN if publish else VacancyStatus.DRAFT,
        published_at=timezone.now() if publish else None,
        **values,
    )
    audit_record(
        actor=user_of(actor),
        action="vacancy.post",
        entity=vacancy,
        after=snapshot(vacancy, VACANCY_FIELDS),
        region_code=vacancy.region_id,
        summary=f"{employer.name}: {vacancy.title}",
    )
    return vacancy


@transaction.atomic
def vacancy_update(*, actor: Actor, vacancy: Vacancy, data: dict[str, Any]) -> Vacancy:
    """Change the fields present in `data`; `version` is required."""
    vacancy_require_can_edit(actor, vacancy)
    errors = FieldErrors()
    version = clean_version(data.get("version"), errors)
    fields = {k: v for k, v in data.items() if k in EDITABLE}
    values = _clean(fields, errors, actor=actor, partial=True)
    errors.raise_if_any()
    vacancy = lock(vacancy, version)
    merged = {"wage_min": vacancy.wage_min, "wage_max": vacancy.wage_max, **values}
    _check_wages(merged, errors)
    errors.raise_if_any()
    if "region_id" in values and "latitude" not in fields:
        values["latitude"] = None
        _place(values)
    before = snapshot(vacancy, VACANCY_FIELDS)
    for name, value in values.items():
        setattr(vacancy, name, value)
    after = snapshot(vacancy, VACANCY_FIELDS)
    old, new = diff(before, after)
    if not new:
        return vacancy
    bump(vacancy, *values.keys())
    audit_record(
        actor=user_of(actor),
        action="vacancy.update",
        entity=vacancy,
        before=old,
        after=new,
        region_code=vacancy.region_id,
        summary=vacancy.title,
    )
    return vacancy


@transaction.atomic
def vacancy_transition(
    *, actor: Actor, vacancy: Vacancy, to_status: Any, reason: Any, version: Any
) -> Vacancy:
    """Publish, mark filled, close or reopen (VACANCY_TRANSITIONS). A flagged employer's
    vacancy cannot open; a vacancy whose closing date has passed cannot reopen."""
    vacancy_require_can_edit(actor, vacancy)
    errors = FieldErrors()
    target = clean_choice("to_status", to_status, VacancyStatus.values, errors, required=True)
    text = clean_text("reason", reason, errors, required=False, limit=500)
    version_n = clean_version(version, errors)
    errors.raise_if_any()
    vacancy = lock(vacancy, version_n)
    allowed = VACANCY_TRANSITIONS.get(vacancy.status, {})
    if target not in allowed:
        raise TransitionNotAllowed(
            _("A vacancy cannot go from “%(a)s” to “%(b)s”.")
            % {"a": VacancyStatus(vacancy.status).label, "b": VacancyStatus(target).label},
            extra={"allowed": sorted(allowed)},
        )
    if not jobs_roles(actor) & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    if target == VacancyStatus.OPEN:
        _require_not_flagged(Employer.objects.get(pk=vacancy.employer_id))
        if vacancy.closing_date < timezone.localdate():
            raise TransitionNotAllowed(
                _("The closing date has passed: set a new closing date first."),
                fields={"closing_date": FieldError("in_past", _("In the past."))},
            )
        vacancy.published_at = vacancy.published_at or timezone.now()
    before = vacancy.status
    vacancy.status = target
    bump(vacancy, "status", "published_at")
    audit_record(
        actor=user_of(actor),
        action="vacancy.transition",
        entity=vacancy,
        before={"status": before},
        after={"status": target, **({"reason": text} if text else {})},
        region_code=vacancy.region_id,
        summary=f"{vacancy.title}: {VacancyStatus(before).label} → {VacancyStatus(target).label}",
    )
    return vacancy
