"""Helpers for the publicservices tests: a partner department, workers with histories and
children, and catalogue versions built through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.services import organisation_create
from gongyou.publicservices import services
from gongyou.publicservices.models import PublicService
from gongyou.settlement import services as settlement_services

DAY = dt.date(2025, 1, 15)


@pytest.fixture
def department(orgs: dict[str, Any]) -> Any:
    return organisation_create(
        actor=None,
        name="深圳市教育局",
        kind=OrganisationKind.PARTNER_DEPARTMENT,
        region_code="440300",
        parent=orgs["sz"],
        department_type="education",
    )


@pytest.fixture
def history(admin_actor: Any) -> Callable[..., Any]:
    def save(worker: Any, contributions: Any = (), residences: Any = ()) -> Any:
        return settlement_services.history_save_batch(
            actor=admin_actor,
            worker=worker,
            contributions=list(contributions),
            residences=list(residences),
        )

    return save


@pytest.fixture
def child(admin_actor: Any) -> Callable[..., Any]:
    def add(worker: Any, birth: str = "2018-03-01", name: str = "张小明") -> Any:
        return services.family_member_add(
            actor=admin_actor,
            worker=worker,
            data={
                "relation": "child",
                "name": name,
                "birth_date": birth,
                "school_stage": "primary",
            },
        )

    return add


@pytest.fixture
def published(admin_actor: Any) -> Callable[..., Any]:
    """A published service in a city with the given version fields."""

    def make(city: str = "440300", kind: str = "public_rental_housing", **fields: Any) -> Any:
        service = services.service_create(
            actor=admin_actor, city=city, kind=kind, name=fields.pop("name", f"测试服务 {kind}")
        )
        data = {"effective_from": "2024-01-01", "source": "测试来源", "trust": "V", **fields}
        version = services.service_version_create(actor=admin_actor, service=service, data=data)
        return services.service_version_transition(
            actor=admin_actor, version=version, to_status="published", expected_version=1
        )

    return make


def seeded(city: str, kind: str) -> PublicService:
    return PublicService.objects.get(city_id=city, kind=kind)


def activity_data(**overrides: Any) -> dict[str, Any]:
    """An activity in Nanshan starting in three days, registration open from yesterday to
    tomorrow (local dates)."""
    from django.utils import timezone

    start = timezone.localtime().replace(microsecond=0, second=0) + dt.timedelta(days=3)
    today = timezone.localdate()
    data: dict[str, Any] = {
        "kind": "cultural_event",
        "title": "外来务工人员中秋文艺晚会",
        "region": "440305",
        "venue": "南山区工人文化宫",
        "address": "深圳市南山区南山大道1号",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "places": 2,
        "registration_opens_on": today - dt.timedelta(days=1),
        "registration_closes_on": today + dt.timedelta(days=1),
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_activity(admin_actor: Any) -> Callable[..., Any]:
    """An activity made through the services and opened for registration."""

    def make(actor: Any = None, **overrides: Any) -> Any:
        who = actor or admin_actor
        activity = services.activity_create(actor=who, data=activity_data(**overrides))
        return services.activity_transition(
            actor=who, activity=activity, to_status="open", expected_version=activity.version
        )

    return make
