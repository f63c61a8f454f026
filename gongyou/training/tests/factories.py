"""Training records made through the real services (tests and the demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.services import organisation_create

from ..services import campaign_create, course_create, institution_create, programme_create

WELDER = "6-18-02-04"


def make_provider(
    *, name: str = "深圳市南山区职业技能培训学校", region: str = "440305", parent: Any = None
) -> Any:
    return organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.TRAINING_PROVIDER,
        region_code=region,
        parent=parent,
    )


def make_campaign(*, actor: Any, lead: Any, **overrides: Any) -> Any:
    data: dict[str, Any] = {
        "name": "春风行动 2026 职业技能培训",
        "kind": "vocational_training",
        "lead_organisation": lead.pk,
        "starts_on": timezone.localdate() - dt.timedelta(days=200),
        "ends_on": timezone.localdate() + dt.timedelta(days=200),
    }
    data.update(overrides)
    return campaign_create(actor=actor, data=data)


def make_course(*, actor: Any, provider: Any = None, **overrides: Any) -> Any:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "焊工（四级/中级工）培训班",
        "occupation": WELDER,
        "target_level": 4,
        "hours": 40,
        "seats": 10,
        "starts_on": today + dt.timedelta(days=5),
        "ends_on": today + dt.timedelta(days=30),
        "schedule": "周六、周日 09:00-17:00",
        "region": "440305",
        "address": "深圳市南山区西丽街道1号",
        "subsidy_per_trainee": "1200",
        "enrol_opens_on": today - dt.timedelta(days=10),
        "enrol_closes_on": today + dt.timedelta(days=5),
    }
    if provider is not None:
        data["provider"] = provider.pk
    data.update(overrides)
    return course_create(actor=actor, data=data)


def make_programme(*, actor: Any, **overrides: Any) -> Any:
    institution = overrides.pop("institution", None) or institution_create(
        actor=actor, data={"name": "深圳开放大学", "kind": "open_university", "region": "440300"}
    )
    data: dict[str, Any] = {
        "institution": institution.pk,
        "name": "机电一体化技术",
        "level": "junior_college",
        "credits_required": 6,
        "tuition": "5000",
        "union_subsidy": "3000",
        "starts_on": dt.date(2026, 9, 1),
    }
    data.update(overrides)
    return programme_create(actor=actor, data=data)
