"""Helpers for the settlement tests: workers with histories built through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from gongyou.settlement import services
from gongyou.workers.services import certificate_add

DAY = dt.date(2025, 1, 15)


@pytest.fixture
def history(admin_actor: Any) -> Callable[..., dict[str, int]]:
    def save(
        worker: Any, contributions: list[dict[str, Any]] = (), residences: list[dict[str, Any]] = ()
    ) -> dict[str, int]:  # type: ignore[assignment]
        return services.history_save_batch(
            actor=admin_actor,
            worker=worker,
            contributions=list(contributions),
            residences=list(residences),
        )

    return save


@pytest.fixture
def fact(admin_actor: Any) -> Callable[..., Any]:
    def set_fact(worker: Any, key: str, value: Any) -> Any:
        return services.declared_fact_set(
            actor=admin_actor, worker=worker, key=key, value=value, evidence="seen"
        )

    return set_fact


@pytest.fixture
def certificate(admin_actor: Any) -> Callable[..., Any]:
    counter = {"n": 0}

    def add(worker: Any, level: int, issued_on: str = "2020-01-01") -> Any:
        counter["n"] += 1
        return certificate_add(
            actor=admin_actor,
            worker=worker,
            occupation="6-18-02-04",
            level=level,
            certificate_no=f"T{counter['n']:06d}",
            issuing_organisation="测试鉴定中心",
            issued_on=issued_on,
        )

    return add


def all_kinds(city: str, start: str, end: str | None = None) -> list[dict[str, Any]]:
    return [
        {"city": city, "kind": k, "start": start, "end": end}
        for k in ("pension", "medical", "unemployment", "work_injury", "maternity")
    ]
