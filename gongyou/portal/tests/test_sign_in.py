"""Sign-in codes: sent through the SMS backend, hashed, expiring, single use, rate-limited, and a
lock after repeated wrong codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gongyou.core.errors import ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.portal import services
from gongyou.portal.models import PortalAccount, SignInCode, SignInLock
from gongyou.portal.services import CodeRateLimited, SignInLocked
from gongyou.testing import make_phone

from .conftest import last_code

pytestmark = pytest.mark.django_db


def _age(phone_rows: Any, seconds: int) -> None:
    for row in phone_rows:
        SignInCode.objects.filter(pk=row.pk).update(
            created_at=row.created_at - dt.timedelta(seconds=seconds),
            expires_at=row.expires_at - dt.timedelta(seconds=seconds),
        )


def test_code_is_sent_and_only_its_keyed_hash_is_stored(memory_sms):
    phone = make_phone()
    row = services.sign_in_code_send(phone=f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}")
    code = last_code(memory_sms, phone)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert code not in row.phone_enc and phone not in row.phone_enc
    assert row.expires_at - row.created_at == services.CODE_TTL


def test_a_bad_number_is_refused_with_a_field_error():
    with pytest.raises(ValidationFailed) as err:
        services.sign_in_code_send(phone="12345")
    assert "phone" in err.value.fields


def test_right_code_signs_in_once_and_creates_the_account(memory_sms):
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    code = last_code(memory_sms, phone)
    account = services.sign_in_code_verify(phone=phone, code=code)
    assert account.phone_masked == phone[:3] + "****" + phone[-4:]
    assert account.worker_id is None
    assert AuditEvent.objects.filter(action="portal.sign_in", entity_id=str(account.pk)).exists()
    with pytest.raises(ValidationFailed):  # single use
        services.sign_in_code_verify(phone=phone, code=code)
    assert PortalAccount.objects.count() == 1


def test_an_expired_code_is_refused(memory_sms):
    phone = make_phone()
    row = services.sign_in_code_send(phone=phone)
    code = last_code(memory_sms, phone)
    SignInCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as err:
        services.sign_in_code_verify(phone=phone, code=code)
    assert "expired" in err.value.fields["code"]["message"]


def test_only_the_newest_code_counts(memory_sms):
    phone = make_phone()
    first = services.sign_in_code_send(phone=phone)
    old_code = last_code(memory_sms, phone)
    _age([first], 61)
    services.sign_in_code_send(phone=phone)
    new_code = last_code(memory_sms, phone)
    if old_code != new_code:
        with pytest.raises(ValidationFailed):
            services.sign_in_code_verify(phone=phone, code=old_code)
    assert services.sign_in_code_verify(phone=phone, code=new_code)


def test_resend_waits_a_minute_and_an_hour_allows_five(memory_sms):
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    with pytest.raises(CodeRateLimited) as err:
        services.sign_in_code_send(phone=phone)
    assert err.value.extra["retry_after"] > 0
    for _ in range(services.MAX_CODES_PER_HOUR - 1):
        _age(SignInCode.objects.filter(phone_hash=SignInCode.objects.first().phone_hash), 61)
        services.sign_in_code_send(phone=phone)
    _age(SignInCode.objects.all(), 61)
    with pytest.raises(CodeRateLimited):
        services.sign_in_code_send(phone=phone)
    _age(SignInCode.objects.all(), 3600)
    services.sign_in_code_send(phone=phone)  # an hour later it works again
    assert len(memory_sms) == services.MAX_CODES_PER_HOUR + 1


def test_one_address_cannot_ask_codes_for_many_numbers(memory_sms, monkeypatch):
    monkeypatch.setattr(services, "MAX_CODES_PER_IP_HOUR", 3)
    for _ in range(3):
        services.sign_in_code_send(phone=make_phone(), ip_address="10.0.0.9")
    with pytest.raises(CodeRateLimited):
        services.sign_in_code_send(phone=make_phone(), ip_address="10.0.0.9")
    services.sign_in_code_send(phone=make_phone(), ip_address="10.0.0.10")


def test_repeated_wrong_codes_lock_the_number(memory_sms):
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    code = last_code(memory_sms, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(services.MAX_FAILURES - 1):
        with pytest.raises(ValidationFailed):
            services.sign_in_code_verify(phone=phone, code=wrong)
    with pytest.raises(SignInLocked):
        services.sign_in_code_verify(phone=phone, code=wrong)
    assert SignInLock.objects.count() == 1
    # Locked: even the right code fails, and no new code is sent.
    with pytest.raises(SignInLocked):
        services.sign_in_code_verify(phone=phone, code=code)
    with pytest.raises(SignInLocked):
        services.sign_in_code_send(phone=phone)
    assert AuditEvent.objects.filter(action="portal.sign_in_locked").count() == 1
    # After the lock ends, a new code works and the old failures no longer count.
    SignInLock.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    _age(SignInCode.objects.all(), 61)
    services.sign_in_code_send(phone=phone)
    with pytest.raises(ValidationFailed):
        services.sign_in_code_verify(
            phone=phone, code=wrong if wrong != last_code(memory_sms, phone) else code
        )
    assert services.sign_in_code_verify(phone=phone, code=last_code(memory_sms, phone))


def test_malformed_codes_do_not_count_as_failures(memory_sms):
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    for _ in range(services.MAX_FAILURES + 1):
        with pytest.raises(ValidationFailed):
            services.sign_in_code_verify(phone=phone, code="12ab")
    assert not SignInLock.objects.exists()


def test_verify_without_a_code_sent():
    with pytest.raises(ValidationFailed) as err:
        services.sign_in_code_verify(phone=make_phone(), code="123456")
    assert err.value.fields["code"]["code"] == "invalid_code"


def test_sms_backend_failure_stores_no_code(settings):
    settings.GONGYOU_SMS_BACKEND = "gongyou.portal.tests.test_sign_in.RefusingBackend"
    with pytest.raises(services.SmsFailed):
        services.sign_in_code_send(phone=make_phone())
    assert not SignInCode.objects.exists()


class RefusingBackend:
    def send(self, *, phone: str, text: str) -> None:
        from gongyou.portal.sms import SmsNotSent

        raise SmsNotSent("provider down")


def test_file_backend_writes_the_message(settings, tmp_path):
    from gongyou.portal.sms import sms_file_messages

    settings.GONGYOU_SMS_BACKEND = "gongyou.portal.sms.FileBackend"
    settings.GONGYOU_SMS_FILE_DIR = str(tmp_path)
    phone = make_phone()
    services.sign_in_code_send(phone=phone)
    messages = sms_file_messages(phone)
    assert len(messages) == 1 and messages[0]["to"] == phone
    assert last_code([{"to": phone, "text": messages[0]["text"]}], phone)
