"""Courses of training providers: create and update (seats never below the seats taken)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import SkillLevel
from gongyou.classifications.selectors import occupation_names
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import FieldErrors

from ..enums import CampaignKind
from ..models import Course
from ..policies import (
    campaigns_visible_to,
    course_require_can_create,
    course_require_can_manage,
    is_provider,
)
from .common import (
    bump,
    clean_amount,
    clean_int,
    clean_region,
    clean_text,
    clean_version,
    lock,
)

COURSE_FIELDS = [
    "provider",
    "campaign",
    "title",
    "occupation",
    "target_level",
    "hours",
    "min_attendance_percent",
    "seats",
    "starts_on",
    "ends_on",
    "schedule",
    "region",
    "address",
    "subsidy_per_trainee",
    "enrol_opens_on",
    "enrol_closes_on",
]


def _required_date(field: str, value: Any, errors: FieldErrors, message: str) -> Any:
    day = clean_date(field, value, errors, allow_future=True)
    if day is None and field not in errors.errors:
        errors.add(field, "required", message)
    return day


def _clean(data: dict[str, Any], errors: FieldErrors, *, actor: Actor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if is_provider(actor):
        out["provider_id"] = actor.organisation_id
    else:
        pid = clean_int("provider", data.get("provider"), errors, high=2**62)
        if pid is not None:
            provider = Organisation.objects.filter(
                pk=pid, kind=OrganisationKind.TRAINING_PROVIDER, is_active=True
            ).first()
            if provider is None:
                errors.add(
                    "provider", "unknown", _("Choose an active training-provider organisation.")
                )
            elif provider.region_id and not actor.covers_region(provider.region_id):
                errors.add("provider", "out_of_scope", _("The provider is outside your area."))
        out["provider_id"] = pid
    campaign = None
    if data.get("campaign") not in (None, ""):
        cid = clean_int("campaign", data.get("campaign"), errors, high=2**62)
        if cid is not None:
            campaign = campaigns_visible_to(actor).filter(pk=cid).first()
            if campaign is None:
                errors.add("campaign", "unknown", _("Choose a campaign of your area."))
            elif campaign.kind != CampaignKind.VOCATIONAL_TRAINING:
                errors.add(
                    "campaign",
                    "wrong_kind",
                    _("Courses belong to vocational training campaigns."),
                )
                campaign = None
    out["campaign"] = campaign
    out["title"] = clean_text("title", data.get("title"), errors, required=True, limit=200)
    occupation = str(data.get("occupation") or "").strip()
    if not occupation:
        errors.add("occupation", "required", _("Choose the occupation the course trains for."))
    elif occupation not in occupation_names():
        errors.add("occupation", "unknown_occupation", _("Choose a known occupation code."))
    out["occupation_id"] = occupation
    level = clean_int("target_level", data.get("target_level"), errors, low=1, high=5)
    if level is not None and level not in SkillLevel.values:
        errors.add("target_level", "invalid_choice", _("Choose a skill level from 5 to 1."))
    out["target_level"] = level
    out["hours"] = clean_int("hours", data.get("hours"), errors, low=1, high=5000)
    out["min_attendance_percent"] = clean_int(
        "min_attendance_percent",
        data.get("min_attendance_percent") or 80,
        errors,
        low=0,
        high=100,
    )
    out["seats"] = clean_int("seats", data.get("seats"), errors, low=1, high=10000)
    starts = _required_date(
        "starts_on", data.get("starts_on"), errors, _("Enter the first day of the course.")
    )
    ends = _required_date(
        "ends_on", data.get("ends_on"), errors, _("Enter the last day of the course.")
    )
    opens = _required_date(
        "enrol_opens_on", data.get("enrol_opens_on"), errors, _("Enter when enrolment opens.")
    )
    closes = _required_date(
        "enrol_closes_on", data.get("enrol_closes_on"), errors, _("Enter when enrolment closes.")
    )
    if starts and ends and ends < starts:
        errors.add("ends_on", "before_start", _("The course cannot end before it starts."))
    if opens and closes and closes < opens:
        errors.add("enrol_closes_on", "before_open", _("Enrolment cannot close before it opens."))
    if closes and ends and closes > ends:
        errors.add(
            "enrol_closes_on", "after_course", _("Enrolment must close by the course's last day.")
        )
    if campaign and starts and not campaign.starts_on <= starts <= campaign.ends_on:
        errors.add(
            "starts_on",
            "outside_campaign",
            _("The course must start within the campaign (%(a)s to %(b)s).")
            % {"a": campaign.starts_on, "b": campaign.ends_on},
        )
    out["starts_on"], out["ends_on"] = starts, ends
    out["enrol_opens_on"], out["enrol_closes_on"] = opens, closes
    out["schedule"] = clean_text(
        "schedule", data.get("schedule"), errors, required=False, limit=200
    )
    out["region_id"] = clean_region("region", data.get("region"), errors, actor=actor)
    out["address"] = clean_text("address", data.get("address"), errors, required=False, limit=200)
    out["subsidy_per_trainee"] = clean_amount(
        "subsidy_per_trainee", data.get("subsidy_per_trainee") or 0, errors
    )
    return out


@transaction.atomic
def course_create(*, actor: Actor, data: dict[str, Any]) -> Course:
    course_require_can_create(actor)
    errors = FieldErrors()
    values = _clean(data, errors, actor=actor)
    errors.raise_if_any()
    course = Course.objects.create(created_by=actor.user, **values)
    audit_record(
        actor=actor.user,
        action="training.course.create",
        entity=course,
        after=snapshot(course, COURSE_FIELDS),
        region_code=course.region_id,
        summary=course.title,
    )
    return course


@transaction.atomic
def course_update(*, actor: Actor, course: Course, data: dict[str, Any], version: Any) -> Course:
    course_require_can_manage(actor, course)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    if not is_provider(actor) and data.get("provider") in (None, ""):
        data = {**data, "provider": course.provider_id}
    values = _clean(data, errors, actor=actor)
    errors.raise_if_any()
    course = lock(Course, course.pk, version_n)
    if values["seats"] < course.seats_taken:
        errors.add(
            "seats",
            "below_taken",
            _("%(n)d seats are taken; the course cannot have fewer.") % {"n": course.seats_taken},
        )
        errors.raise_if_any()
    before = snapshot(course, COURSE_FIELDS)
    for field, value in values.items():
        setattr(course, field, value)
    bump(course, *COURSE_FIELDS)
    changed_before, changed_after = diff(before, snapshot(course, COURSE_FIELDS))
    audit_record(
        actor=actor.user,
        action="training.course.update",
        entity=course,
        before=changed_before,
        after=changed_after,
        region_code=course.region_id,
        summary=course.title,
    )
    return course
