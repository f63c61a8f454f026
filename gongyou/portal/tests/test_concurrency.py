"""The same code submitted at once signs in once; first sign-ins at once create one account.

Needs a server database (each thread has its own connection): PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongyou.core.errors import ValidationFailed
from gongyou.portal import services
from gongyou.portal.models import PortalAccount, SignInCode
from gongyou.testing import make_phone, transactional_apps

from .conftest import last_code

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared server database"),
]


def run_together(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def target():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_one_code_sent_six_times_at_once_signs_in_once(memory_sms):
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    code = last_code(memory_sms, phone)
    results, errors = run_together(6, lambda: services.sign_in_code_verify(phone=phone, code=code))
    assert len(results) == 1
    assert len(errors) == 5 and all(isinstance(e, ValidationFailed) for e in errors)
    assert PortalAccount.objects.count() == 1
    assert SignInCode.objects.filter(used_at__isnull=False).count() == 1
