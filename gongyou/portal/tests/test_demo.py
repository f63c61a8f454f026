import pytest

from gongyou.core import crypto
from gongyou.portal.demo import DEMO_PHONE, demo_populate
from gongyou.portal.models import CorrectionRequest, PortalAccount, SelfRegistration

pytestmark = pytest.mark.django_db


def test_demo_links_a_worker_to_the_demo_phone_and_is_idempotent(worker_factory):
    for _ in range(3):
        worker_factory()
    assert demo_populate() == {
        "portal_accounts": 2,
        "self_registrations": 1,
        "correction_requests": 1,
    }
    account = PortalAccount.objects.get(phone_hash=crypto.blind_index(DEMO_PHONE, context="phone"))
    assert account.worker is not None
    assert crypto.decrypt(account.worker.phone_enc, context="phone") == DEMO_PHONE
    assert CorrectionRequest.objects.filter(worker=account.worker).count() == 1
    assert SelfRegistration.objects.filter(status="pending").count() == 1
    assert demo_populate() == {
        "portal_accounts": 0,
        "self_registrations": 0,
        "correction_requests": 0,
    }


def test_demo_without_workers_does_nothing(db):
    assert demo_populate()["portal_accounts"] == 0
