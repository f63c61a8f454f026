"""Hostile input: schemathesis generates requests from the OpenAPI document (valid and
deliberately invalid: wrong types, missing fields, boundary values) for every operation and
sends them to the app in-process (WSGI), signed in as a national system admin with a bearer
token from POST /api/v1/auth/token, over the objects of tests/authz_world.py.

Every answer must be no server error (5xx), match the response schema the document declares for
its status, and have a status the document declares. Bounded and deterministic (derandomized,
a few examples per operation) so the run takes about a minute and fails the same way twice.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from gongyou.config.api import api
from tests.authz_world import PASSWORD, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


class InProcessApp:
    """Django's WSGI handler, run inside the test's transaction: like Django's test client, the
    end of a request must not close the database connection (it would end the transaction)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = InProcessApp()


@pytest.fixture(scope="module")
def bearer(world: dict[str, Any], django_db_blocker: Any) -> dict[str, str]:
    """A token of the national system admin, got the way a partner system gets one."""
    with django_db_blocker.unblock():
        res = Client().post(
            "/api/v1/auth/token",
            {"username": "authz_root", "password": PASSWORD},
            content_type="application/json",
        )
    assert res.status_code == 200, res.content
    return {"Authorization": f"Bearer {res.json()['token']}"}


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_hostile_input_within_its_contract(
    case: schemathesis.Case, bearer: dict[str, str]
) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)


def test_schema_names_are_unique() -> None:
    """ninja names a component after its class: two different schemas with one name make the
    document describe one route with the other's schema (found here: jobs' and public
    services' ReferralRead)."""
    from ninja import Schema

    def walk(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *walk(sub))]

    by_name: dict[str, dict[str, Any]] = {}
    clashes = []
    for cls in walk(Schema):
        if not cls.__module__.startswith("gongyou."):
            continue
        shape = cls.model_json_schema()
        seen = by_name.setdefault(cls.__name__, shape)
        if seen != shape:
            clashes.append(f"{cls.__module__}.{cls.__name__}")
    assert not clashes, f"schemas sharing a name with a different one: {clashes}"
