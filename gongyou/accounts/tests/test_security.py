"""Sign-in hardening: lockout per account and per address, two-factor sign-in (TOTP) for staff
who administer or may reveal personal data, and production settings that pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongyou.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-2026"


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# --- lockout ----------------------------------------------------------------------------------


def test_five_wrong_passwords_pause_that_account_even_with_the_right_one(make_user: Any):
    user = _with_password(make_user("analyst", username="li"))
    for _ in range(4):
        assert _login(Client(), "li", "wrong-password").status_code == 200
    assert _login(Client(), "li", "wrong-password").status_code == 429  # the fifth pauses it
    res = _login(Client(), "li", PASSWORD, ip="10.9.9.9")  # another address: still paused
    assert res.status_code == 429
    assert "Too many wrong passwords" in res.content.decode()
    assert "_auth_user_id" not in res.wsgi_request.session
    assert user.pk  # the account itself is untouched


def test_wrong_passwords_from_one_address_pause_that_address(make_user: Any):
    for n in range(5):
        _with_password(make_user("analyst", username=f"u{n}"))
        _login(Client(), f"u{n}", "wrong-password", ip="10.0.0.7")
    _with_password(make_user("analyst", username="fresh"))
    assert _login(Client(), "fresh", PASSWORD, ip="10.0.0.7").status_code == 429
    assert _login(Client(), "fresh", PASSWORD, ip="10.0.0.8").status_code == 302


def test_a_success_resets_the_count(make_user: Any):
    _with_password(make_user("analyst", username="wang"))
    for _ in range(4):
        _login(Client(), "wang", "wrong-password", ip="10.1.0.1")
    assert _login(Client(), "wang", PASSWORD, ip="10.1.0.2").status_code == 302
    for _ in range(4):
        _login(Client(), "wang", "wrong-password", ip="10.1.0.3")
    assert _login(Client(), "wang", PASSWORD, ip="10.1.0.4").status_code == 302


def test_the_token_endpoint_counts_and_reports_the_lockout(make_user: Any):
    _with_password(make_user("analyst", username="zhao"))
    client = Client()
    for n in range(5):
        res = client.post(
            "/api/v1/auth/token",
            {"username": "zhao", "password": "nope-nope-nope"},
            content_type="application/json",
        )
        assert res.status_code == (401 if n < 4 else 429)
    res = client.post(
        "/api/v1/auth/token",
        {"username": "zhao", "password": PASSWORD},
        content_type="application/json",
    )
    assert res.status_code == 429 and res.json()["code"] == "account_locked"


# --- two-factor sign-in -----------------------------------------------------------------------


@pytest.fixture
def two_factor(settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after a wrong code (tested separately)


@pytest.mark.usefixtures("two_factor")
def test_an_admin_enrols_before_reaching_any_page(client: Client, admin: Any):
    client.force_login(admin)
    res = client.get("/workers/")
    assert res.status_code == 302 and res["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )
    page = client.get(res["Location"]).content.decode()
    assert "<svg" in page and "Set up two-factor sign-in" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    bad = client.post(reverse("accounts:two_factor_setup"), {"otp": "12345", "next": "/workers/"})
    assert "The code has 6 digits." in bad.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)  # the page started a new one
    ok = client.post(
        reverse("accounts:two_factor_setup"), {"otp": _code(device), "next": "/workers/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/workers/"
    assert client.get("/workers/").status_code == 200
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=admin).exists()


@pytest.mark.usefixtures("two_factor")
def test_a_new_session_needs_a_current_code_and_a_code_works_once(admin: Any):
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(admin)
    res = client.get("/workers/?q=x")
    assert res["Location"].startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(reverse("accounts:two_factor_verify"), {"otp": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    code = _code(device)
    ok = client.post(reverse("accounts:two_factor_verify"), {"otp": code, "next": "/workers/"})
    assert ok.status_code == 302 and client.get("/workers/").status_code == 200
    other = Client()
    other.force_login(admin)
    replay = other.post(reverse("accounts:two_factor_verify"), {"otp": code})
    assert replay.status_code == 200  # refused: the same code cannot sign in twice
    assert other.get("/workers/").status_code == 302
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert {"two_factor.verified", "two_factor.failed"} <= actions


@pytest.mark.usefixtures("two_factor")
def test_guessing_is_throttled(admin: Any, settings: Any):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(admin)
    client.post(reverse("accounts:two_factor_verify"), {"otp": "000000"})
    res = client.post(reverse("accounts:two_factor_verify"), {"otp": _code(device)})
    assert res.status_code == 200 and "Too many wrong codes" in res.content.decode()
    assert client.get("/workers/").status_code == 302


@pytest.mark.usefixtures("two_factor")
def test_who_needs_two_factor(make_user: Any, client: Client):
    from gongyou.accounts.twofactor import two_factor_required

    assert two_factor_required(make_user("case_handler"))  # may reveal ID numbers
    assert two_factor_required(make_user("employment_officer"))  # may reveal phones
    assert two_factor_required(make_user("org_admin"))
    analyst = make_user("analyst")
    assert not two_factor_required(analyst)
    assert not two_factor_required(make_user("programme_officer"))
    client.force_login(analyst)
    assert client.get("/workers/").status_code == 200


@pytest.mark.usefixtures("two_factor")
def test_unverified_session_api_calls_are_refused(client: Client, admin: Any):
    client.force_login(admin)
    res = client.get("/api/v1/me")
    assert res.status_code == 401 and res.json()["code"] == "two_factor_required"
    # Whatever Authorization header comes with the unverified session (it used to let it pass).
    for header in ("Basic eA==", "Bearer not-a-token"):
        res = client.get("/api/v1/me", headers={"Authorization": header})
        assert res.status_code == 401, header
        csrf = client.cookies.get("csrftoken")
        res = client.post(
            "/api/v1/tokens",
            {"name": "sneaky"},
            content_type="application/json",
            headers={"Authorization": header, "X-CSRFToken": csrf.value if csrf else ""},
        )
        assert res.status_code == 401, header


@pytest.mark.usefixtures("two_factor")
def test_tokens_for_two_factor_accounts_need_the_code(admin: Any):
    _with_password(admin)
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    body = {"username": admin.username, "password": PASSWORD}
    res = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert res.status_code == 401 and res.json()["code"] == "two_factor_required"
    res = client.post(
        "/api/v1/auth/token", {**body, "otp": _code(device)}, content_type="application/json"
    )
    assert res.status_code == 200 and res.json()["token"]
    token = res.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


@pytest.mark.usefixtures("two_factor")
def test_an_admin_resets_a_lost_authenticator(make_user: Any, admin: Any):
    handler = make_user("case_handler", org="national", username="handler")
    TOTPDevice.objects.create(user=handler, name="authenticator", confirmed=True)
    admin_device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(admin)
    client.post(reverse("accounts:two_factor_verify"), {"otp": _code(admin_device)})
    page = client.get(reverse("accounts:user_edit", args=[handler.pk])).content.decode()
    assert "Reset two-factor sign-in" in page
    res = client.post(reverse("accounts:two_factor_reset", args=[handler.pk]))
    assert res.status_code == 302
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert AuditEvent.objects.filter(action="two_factor.reset", entity_id=str(handler.pk)).exists()


# --- production settings ----------------------------------------------------------------------


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGYOU_")},
        "DJANGO_SETTINGS_MODULE": "gongyou.config.settings.production",
        "GONGYOU_SECRET_KEY": "x" * 20
        + "production-like-secret-key-for-the-deploy-check-0123456789",
        "GONGYOU_PII_KEYS": "k1:" + "A" * 43 + "=",
        "GONGYOU_PII_INDEX_KEY": "B" * 43 + "=",
        "GONGYOU_VAR_DIR": str(tmp_path),
        "GONGYOU_ALLOWED_HOSTS": "gongyou.example.org",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "gongyou", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
