"""API calls with a bearer token take settings.API_TOKEN_MIDDLEWARE (gongyou/config/wsgi.py):
the same answers, headers, language, limits and audit context as through the full stack.

These tests call the real WSGI application (Django's test client always uses the full stack),
with the test client's precaution: the request signals must not close the test's database
connection.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import api_token_create
from gongyou.config.wsgi import application, is_token_api_call
from gongyou.core.models import AuditEvent


@contextmanager
def _keep_test_connection() -> Iterator[None]:
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def call(
    method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    data = b"" if body is None else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()},
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {k.lower(): v for k, v in response_headers}

    with _keep_test_connection():
        chunks = application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    return seen["status"], seen["headers"], content


@pytest.fixture
def bearer(admin) -> dict[str, str]:
    _token, key = api_token_create(actor=actor_for(admin), user=admin, name="stack")
    return {"Authorization": f"Bearer {key}"}


def test_the_lean_stack_is_the_full_one_minus_what_a_token_call_does_not_use():
    full = settings.MIDDLEWARE
    lean = [m for m in settings.API_TOKEN_MIDDLEWARE if "AnonymousUntil" not in m]
    assert [m for m in full if m in lean] == lean  # a subset, in the same order
    for kept in (
        "gongyou.core.middleware.ProxiedClientAddressMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "gongyou.core.middleware.CSPMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "gongyou.core.middleware.RequestSizeLimitMiddleware",
        "gongyou.core.middleware.RequestContextMiddleware",
    ):
        assert kept in lean


@pytest.mark.parametrize(
    ("path", "auth", "lean"),
    [
        ("/api/v1/visits", "Bearer abc", True),
        ("/api/v1/visits", "bearer abc", True),
        ("/api/v1/visits", "", False),  # the pages' session
        ("/api/v1/visits", "Basic abc", False),
        ("/workers/", "Bearer abc", False),  # not the API
    ],
)
def test_which_requests_take_the_lean_stack(path, auth, lean):
    environ = {"PATH_INFO": path}
    if auth:
        environ["HTTP_AUTHORIZATION"] = auth
    assert is_token_api_call(environ) is lean


@pytest.mark.django_db
def test_a_visit_through_the_lean_stack(bearer, station_factory, settings):
    station = station_factory()
    settings.TRUSTED_PROXIES = []
    with mock.patch.object(
        application, "full", side_effect=AssertionError("the full stack was used")
    ):
        status, headers, content = call(
            "POST",
            "/api/v1/visits",
            body={"station_id": station.pk, "service": station.services[0]},
            headers={**bearer, "Idempotency-Key": "stack-1"},
        )
    assert status == 201, content
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert "set-cookie" not in headers  # no session, no CSRF cookie
    assert headers["content-length"] == str(len(content))  # not chunked: keep-alive clients
    event = AuditEvent.objects.get(action="visit.log", entity_id=str(json.loads(content)["id"]))
    assert event.ip_address == "127.0.0.1"  # the audit context is set
    assert event.actor_id is not None
    status, headers, _ = call(
        "POST",
        "/api/v1/visits",
        body={"station_id": station.pk, "service": station.services[0]},
        headers={**bearer, "Idempotency-Key": "stack-1"},
    )
    assert (status, headers.get("idempotent-replayed")) == (201, "true")


@pytest.mark.django_db
def test_errors_and_language_are_those_of_the_full_stack(bearer):
    status, headers, content = call(
        "POST", "/api/v1/visits", body={"service": "x"}, headers={**bearer, "Accept-Language": "en"}
    )
    english = json.loads(content)
    assert status == 422 and english["code"] == "validation_failed"
    assert english["fields"]["station_id"]["message"] == "Choose the station."
    status, headers, content = call(
        "POST",
        "/api/v1/visits",
        body={"service": "x"},
        headers={**bearer, "Accept-Language": "zh-Hans"},
    )
    chinese = json.loads(content)
    assert status == 422 and headers["content-language"] == "zh-hans"
    assert chinese["fields"]["station_id"]["message"] != "Choose the station."


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_token_that_is_not_valid_is_answered_401(admin, method):
    # POST too: not a CSRF 403 from the session fallback.
    body = {"service": "x"} if method == "POST" else None
    status, _, content = call(
        method, "/api/v1/visits", body=body, headers={"Authorization": "Bearer nope"}
    )
    assert status == 401, content


@pytest.mark.django_db
def test_the_request_size_limit_applies(bearer, settings):
    settings.REQUEST_MAX_BYTES = 100
    status, _, content = call(
        "POST", "/api/v1/visits", body={"note": "x" * 500, "service": "x"}, headers=bearer
    )
    assert status == 413 and json.loads(content)["code"] == "request_too_large"


@pytest.mark.django_db
def test_the_pages_session_still_reaches_the_api_through_the_full_stack(admin, client):
    client.force_login(admin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, _, content = call("GET", "/api/v1/visits?limit=1", headers={"Cookie": cookie})
    assert status == 200, content
