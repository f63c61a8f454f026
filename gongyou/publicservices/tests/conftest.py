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
