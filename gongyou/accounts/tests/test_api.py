import hashlib

import pytest
from django.test import Client

from gongyou.accounts.models import ApiToken
from gongyou.accounts.services import user_set_password
from gongyou.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    user = make_user("case_handler", username="alice")
    user_set_password(actor=None, user=user, password="correct horse battery")
    return user


def test_token_login_and_use(alice):
    c = Client()
    res = c.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "correct horse battery"},
        content_type="application/json",
    )
    assert res.status_code == 200
    key = res.json()["token"]
    stored = ApiToken.objects.get(pk=res.json()["id"])
    assert (
        stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
        and key not in stored.prefix + stored.key_hash
    )
    me = c.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert (
        me.status_code == 200
        and me.json()["username"] == "alice"
        and me.json()["region_scope"] == "4403"
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [({"username": "alice", "password": "nope"}, set()), ({}, {"username", "password"})],
)
def test_token_login_failures(alice, body, fields):
    res = Client().post("/api/v1/auth/token", body, content_type="application/json")
    assert res.status_code == (401 if not fields else 422)
    assert set(res.json()["fields"]) == fields


def test_create_list_revoke_token(alice):
    c = Client()
    key = c.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "correct horse battery"},
        content_type="application/json",
    ).json()["token"]
    auth = {"Authorization": f"Bearer {key}"}
    created = c.post(
        "/api/v1/tokens", {"name": "HR system sync"}, content_type="application/json", headers=auth
    )
    assert created.status_code == 201
    second = created.json()["token"]
    listed = c.get("/api/v1/tokens", headers=auth).json()
    assert listed["count"] == 2 and "token" not in listed["items"][0]
    revoked = c.delete(f"/api/v1/tokens/{created.json()['id']}", headers=auth)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (
        c.get("/api/v1/workers", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    )
    assert (
        AuditEvent.objects.filter(action__in=["api_token.create", "api_token.revoke"]).count() == 3
    )
    assert (
        c.post(
            "/api/v1/tokens", {"name": ""}, content_type="application/json", headers=auth
        ).json()["fields"]["name"]["code"]
        == "required"
    )


def test_cannot_revoke_someone_elses_token(alice, make_user):
    from gongyou.testing import api_client_for

    bob_client = api_client_for(make_user("case_handler", username="bob"))
    alice_token = ApiToken.objects.create(user=alice, name="x", prefix="gy_x", key_hash="0" * 64)
    assert bob_client.delete(f"/api/v1/tokens/{alice_token.pk}").status_code == 404


def test_garbage_and_inactive_tokens_are_401(alice):
    assert (
        Client().get("/api/v1/workers", headers={"Authorization": "Bearer gy_nonsense"}).status_code
        == 401
    )
    c = Client()
    key = c.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "correct horse battery"},
        content_type="application/json",
    ).json()["token"]
    alice.is_active = False
    alice.save()
    assert c.get("/api/v1/workers", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_token_cache_skips_the_query_and_revocation_evicts(
    alice, django_assert_num_queries, django_capture_on_commit_callbacks, settings
):
    from gongyou.accounts.policies import actor_for
    from gongyou.accounts.services import api_token_authenticate, api_token_create, api_token_revoke

    settings.API_TOKEN_CACHE_SECONDS = 10
    token, key = api_token_create(actor=actor_for(alice), user=alice, name="cached")
    assert api_token_authenticate(key=key) == alice  # query (and last_used_at update)
    with django_assert_num_queries(0):
        assert api_token_authenticate(key=key) == alice
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(actor=actor_for(alice), token=token)
    assert api_token_authenticate(key=key) is None
