"""Shared pytest fixtures: organisations in three regions, users per role, API clients.

Tests use the real database (SQLite in memory, or PostgreSQL with DATABASE_URL) and the real
services; only the outside world would be faked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation, User
from gongyou.accounts.policies import Actor, actor_for
from gongyou.accounts.services import organisation_create, user_create
from gongyou.testing import api_client_for, make_national_id, make_station, make_worker


@pytest.fixture
def orgs(db: Any) -> dict[str, Organisation]:
    national = organisation_create(
        actor=None, name="全国总工会", kind=OrganisationKind.NATIONAL_FEDERATION
    )
    gd = organisation_create(
        actor=None,
        name="广东省总工会",
        kind=OrganisationKind.PROVINCIAL_FEDERATION,
        region_code="440000",
        parent=national,
    )
    sz = organisation_create(
        actor=None,
        name="深圳市总工会",
        kind=OrganisationKind.CITY_FEDERATION,
        region_code="440300",
        parent=gd,
    )
    bj = organisation_create(
        actor=None,
        name="北京市总工会",
        kind=OrganisationKind.PROVINCIAL_FEDERATION,
        region_code="110000",
        parent=national,
    )
    return {"national": national, "gd": gd, "sz": sz, "bj": bj}


@pytest.fixture
def make_user(orgs: dict[str, Organisation]) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        *roles: str, org: str = "sz", station: Any = None, username: str | None = None
    ) -> User:
        counter["n"] += 1
        return user_create(
            actor=None,
            username=username or f"u{counter['n']}_{'_'.join(roles)}",
            password=None,
            organisation=orgs[org],
            roles=list(roles),
            station=station,
        )

    return make


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user("system_admin", org="national", username="root")


@pytest.fixture
def admin_actor(admin: User) -> Actor:
    return actor_for(admin)


@pytest.fixture
def sz_admin(make_user: Callable[..., User]) -> User:
    return make_user("org_admin", org="sz")


@pytest.fixture
def worker_factory(admin_actor: Actor) -> Callable[..., Any]:
    def make(**overrides: Any) -> Any:
        return make_worker(actor=admin_actor, **overrides)

    return make


@pytest.fixture
def station_factory(admin_actor: Actor, orgs: dict[str, Organisation]) -> Callable[..., Any]:
    def make(**overrides: Any) -> Any:
        overrides.setdefault("organisation", orgs["sz"].pk)
        return make_station(actor=admin_actor, **overrides)

    return make


@pytest.fixture
def api(admin: User) -> Client:
    return api_client_for(admin)


@pytest.fixture
def id_number() -> Callable[..., str]:
    return make_national_id


@pytest.fixture(autouse=True)
def _seeded_reference_data(request: pytest.FixtureRequest) -> None:
    """Database tests start with the migrations' seed data, even after a transactional test's
    flush emptied it in this process (gongyou.testing.SEEDED). Transactional tests themselves
    run with only their `available_apps` installed, so they are left as they are."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        # No marker, but the database through a fixture (e.g. a factory that requests `db`).
        if "db" not in request.fixturenames or "transactional_db" in request.fixturenames:
            return
    elif marker.kwargs.get("transaction") or (marker.args and marker.args[0]):
        return
    request.getfixturevalue("db")
    from gongyou.testing import reference_data_ensure

    reference_data_ensure()
