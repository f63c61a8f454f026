from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongyou.portal.auth import SESSION_ACCOUNT, SESSION_VERSION
from gongyou.portal.models import PortalAccount
from gongyou.portal.services import _link
from gongyou.portal.sms import MemoryBackend
from gongyou.testing import make_phone


@pytest.fixture(autouse=True)
def memory_sms(settings: Any) -> list[dict[str, str]]:
    settings.GONGYOU_SMS_BACKEND = "gongyou.portal.sms.MemoryBackend"
    MemoryBackend.outbox = []
    return MemoryBackend.outbox


def last_code(outbox: list[dict[str, str]], phone: str) -> str:
    texts = [m["text"] for m in outbox if m["to"] == phone]
    assert texts, f"no SMS to {phone}"
    match = re.search(r"\b(\d{6})\b", texts[-1])
    assert match
    return match.group(1)


@pytest.fixture
def sz_worker(worker_factory: Callable[..., Any]) -> Any:
    return worker_factory(name="李娜", phone=make_phone(), current_region="440306")


@pytest.fixture
def account_for() -> Callable[[Any], PortalAccount]:
    """A portal account linked to `worker` (as after a successful first sign-in)."""
    from gongyou.core import crypto
    from gongyou.workers.identity import mask_phone

    def make(worker: Any) -> PortalAccount:
        phone = crypto.decrypt(worker.phone_enc, context="phone")
        account = PortalAccount.objects.create(
            phone_enc=worker.phone_enc,
            phone_hash=crypto.blind_index(phone, context="phone"),
            phone_masked=mask_phone(phone),
        )
        return _link(account=account, worker=worker, by=None, how="test")

    return make


def portal_client(account: PortalAccount) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # assertions read English msgids
    session = client.session
    session[SESSION_ACCOUNT] = account.pk
    session[SESSION_VERSION] = account.session_version
    session.save()
    return client


@pytest.fixture
def signed_in(
    account_for: Callable[[Any], PortalAccount],
) -> Callable[[Any], tuple[Client, PortalAccount]]:
    def make(worker: Any) -> tuple[Client, PortalAccount]:
        account = account_for(worker)
        return portal_client(account), account

    return make
