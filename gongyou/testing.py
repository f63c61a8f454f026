"""Test and benchmark helpers: valid identity numbers and records made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gongyou.workers.identity import check_character

_seq = itertools.count(1)


def make_national_id(
    *,
    region: str = "440305",
    birth: dt.date = dt.date(1990, 5, 17),
    sex: str = "M",
    seq: int | None = None,
) -> str:
    """A valid 18-character ID number; a fresh sequence each call unless `seq` is given."""
    n = next(_seq) if seq is None else seq
    order = (n % 500) * 2 + (1 if sex == "M" else 0)
    birth = birth + dt.timedelta(days=n // 500)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + check_character(body)


def make_phone(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return f"138{n % 100_000_000:08d}"


def make_worker(*, actor: Any, **overrides: Any) -> Any:
    from gongyou.workers.services import worker_register

    data: dict[str, Any] = {
        "national_id": make_national_id(region=overrides.pop("id_region", "440305")),
        "name": "张伟",
        "phone": make_phone(),
        "hukou_region": "510104",
        "current_region": "440305",
        "education": "junior_secondary",
        "industry": "construction",
        "employment_form": "labour_contract",
    }
    data.update(overrides)
    return worker_register(actor=actor, data=data)


def make_station(*, actor: Any, **overrides: Any) -> Any:
    from gongyou.stations.services import station_create

    data: dict[str, Any] = {
        "name": "南山区科技园工会驿站",
        "type": "rest_station",
        "region": "440305",
        "address": "深圳市南山区科技园1号",
        "latitude": 22.54,
        "longitude": 113.95,
        "opening_hours": "周一至周日 08:00-20:00",
    }
    data.update(overrides)
    return station_create(actor=actor, data=data)


def api_client_for(user: Any) -> Any:
    """A test client that authenticates as `user` with a fresh bearer token."""
    from django.test import Client

    from gongyou.accounts.policies import actor_for
    from gongyou.accounts.services import api_token_create

    _token, key = api_token_create(actor=actor_for(user), user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def transactional_apps() -> list[str]:
    """Apps a transactional test may flush: all but the reference data loaded by migrations, so
    the tests that run after it in the same process still have regions and occupations."""
    from django.conf import settings

    return [
        a
        for a in settings.INSTALLED_APPS
        if a not in {"gongyou.regions", "gongyou.classifications"}
    ]


# Reference data that migrations seed into apps a transactional test flushes (its flush empties
# every app in `transactional_apps()`): (a model the seed fills, the seeding migration, its function).
SEEDED = (
    ("training.EligibilityRule", "gongyou.training.migrations.0002_eligibility_rules", "seed"),
    ("settlement.PolicyVersion", "gongyou.settlement.migrations.0002_seed_policies", "load"),
    (
        "publicservices.ServiceVersion",
        "gongyou.publicservices.migrations.0002_seed_catalogue",
        "load",
    ),
)


def reference_data_ensure() -> None:
    """Seed again what a flush removed, with the migrations' own functions (one EXISTS each)."""
    import importlib

    from django.apps import apps

    for label, module, function in SEEDED:
        if not apps.get_model(label).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)
