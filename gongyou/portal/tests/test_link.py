"""First sign-in: link to the registry record (ID number + the mobile on record + name), or a
self-registration that a station confirms; the staff transition table, edge by edge."""

from __future__ import annotations

from typing import Any

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core import crypto
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.portal import services
from gongyou.portal.enums import REGISTRATION_TRANSITIONS, RegistrationKind, RegistrationStatus
from gongyou.portal.models import PortalAccount, SelfRegistration
from gongyou.portal.services import TransitionNotAllowed
from gongyou.testing import make_national_id, make_phone
from gongyou.workers.models import Consent, Worker

from .conftest import last_code

pytestmark = pytest.mark.django_db


def _sign_in(outbox: list[dict[str, str]], phone: str) -> PortalAccount:
    services.sign_in_code_send(phone=phone)
    return services.sign_in_code_verify(phone=phone, code=last_code(outbox, phone))


def _id_of(worker: Worker) -> str:
    return crypto.decrypt(worker.national_id_enc, context="national_id")


def _phone_of(worker: Worker) -> str:
    return crypto.decrypt(worker.phone_enc, context="phone")


def test_same_mobile_id_and_name_link_at_once(memory_sms, sz_worker):
    account = _sign_in(memory_sms, _phone_of(sz_worker))
    result = services.account_link(
        account=account, name=" 李 娜 ", national_id=_id_of(sz_worker).lower()
    )
    assert isinstance(result, PortalAccount) and result.worker_id == sz_worker.pk
    assert AuditEvent.objects.filter(action="portal.link", worker_id=sz_worker.pk).exists()
    with pytest.raises(Conflict):
        services.account_link(account=result, name="李娜", national_id=_id_of(sz_worker))


def test_another_mobile_needs_a_station_and_reveals_nothing(memory_sms, sz_worker):
    account = _sign_in(memory_sms, make_phone())
    result = services.account_link(account=account, name="李娜", national_id=_id_of(sz_worker))
    assert isinstance(result, SelfRegistration)
    assert result.kind == RegistrationKind.LINK and result.worker_id == sz_worker.pk
    assert result.current_region_id == sz_worker.current_region_id
    account.refresh_from_db()
    assert account.worker_id is None


def test_a_wrong_name_is_not_linked(memory_sms, sz_worker):
    account = _sign_in(memory_sms, _phone_of(sz_worker))
    result = services.account_link(account=account, name="王芳", national_id=_id_of(sz_worker))
    assert isinstance(result, SelfRegistration)


def test_unknown_id_needs_a_district_then_becomes_a_new_registration(memory_sms):
    account = _sign_in(memory_sms, make_phone())
    number = make_national_id(region="510104")
    with pytest.raises(ValidationFailed) as err:
        services.account_link(account=account, name="赵强", national_id=number)
    assert "current_region" in err.value.fields
    result = services.account_link(
        account=account, name="赵强", national_id=number, current_region="440306"
    )
    assert isinstance(result, SelfRegistration) and result.kind == RegistrationKind.NEW
    assert result.hukou_region_id == "510104" and result.national_id_masked.startswith("510104")
    assert number not in result.national_id_enc


def test_bad_inputs_name_every_field(memory_sms):
    account = _sign_in(memory_sms, make_phone())
    with pytest.raises(ValidationFailed) as err:
        services.account_link(account=account, name="", national_id="123", current_region="999999")
    assert set(err.value.fields) == {"name", "national_id", "current_region"}


def test_a_new_request_replaces_the_pending_one_and_requests_are_limited(memory_sms, monkeypatch):
    account = _sign_in(memory_sms, make_phone())
    first = services.account_link(
        account=account, name="赵强", national_id=make_national_id(), current_region="440306"
    )
    second = services.account_link(
        account=account, name="赵强", national_id=make_national_id(), current_region="440306"
    )
    first.refresh_from_db()
    assert (
        first.status == RegistrationStatus.CANCELLED and second.status == RegistrationStatus.PENDING
    )
    monkeypatch.setattr(services, "MAX_LINK_REQUESTS_PER_DAY", 2)
    with pytest.raises(Conflict):
        services.account_link(
            account=account, name="赵强", national_id=make_national_id(), current_region="440306"
        )


@pytest.fixture
def station_staff(make_user, station_factory):
    station = station_factory(region="440306", name="宝安站")
    return actor_for(make_user("station_staff", station=station))


def _new_request(
    outbox: list[dict[str, str]], region: str = "440306"
) -> tuple[PortalAccount, SelfRegistration, str]:
    phone = make_phone()
    account = _sign_in(outbox, phone)
    reg = services.account_link(
        account=account,
        name="赵强",
        national_id=make_national_id(region="510104"),
        current_region=region,
    )
    assert isinstance(reg, SelfRegistration)
    return account, reg, phone


def test_station_confirms_a_new_registration(memory_sms, station_staff):
    account, reg, phone = _new_request(memory_sms)
    with pytest.raises(ValidationFailed) as err:  # the ID card must have been seen
        services.self_registration_transition(
            actor=station_staff, registration=reg, to=RegistrationStatus.CONFIRMED
        )
    assert "id_card_seen" in err.value.fields
    reg = services.self_registration_transition(
        actor=station_staff,
        registration=reg,
        to=RegistrationStatus.CONFIRMED,
        data={"id_card_seen": True, "hukou_region": "510104", "current_region": "440306"},
    )
    account.refresh_from_db()
    worker = Worker.objects.get(pk=account.worker_id)
    assert reg.worker_id == worker.pk and worker.name == "赵强"
    assert crypto.decrypt(worker.phone_enc, context="phone") == phone
    assert Consent.objects.filter(worker=worker, granted=True, method="online").exists()
    assert AuditEvent.objects.filter(
        action="portal.self_registration_transition", worker_id=worker.pk
    ).exists()


def test_station_confirms_a_link_and_the_proven_mobile_goes_on_the_record(
    memory_sms, station_staff, sz_worker
):
    phone = make_phone()
    account = _sign_in(memory_sms, phone)
    reg = services.account_link(account=account, name="李娜", national_id=_id_of(sz_worker))
    services.self_registration_transition(
        actor=station_staff,
        registration=reg,
        to=RegistrationStatus.CONFIRMED,
        data={"id_card_seen": True},
    )
    account.refresh_from_db()
    sz_worker.refresh_from_db()
    assert account.worker_id == sz_worker.pk and _phone_of(sz_worker) == phone


def test_relinking_unlinks_the_old_number(memory_sms, account_for, station_staff, sz_worker):
    old = account_for(sz_worker)
    account = _sign_in(memory_sms, make_phone())
    reg = services.account_link(account=account, name="李娜", national_id=_id_of(sz_worker))
    services.self_registration_transition(
        actor=station_staff,
        registration=reg,
        to=RegistrationStatus.CONFIRMED,
        data={"id_card_seen": True},
    )
    old.refresh_from_db()
    assert old.worker_id is None and old.session_version > 1


def test_rejecting_needs_a_reason(memory_sms, station_staff):
    _account, reg, _phone = _new_request(memory_sms)
    with pytest.raises(ValidationFailed):
        services.self_registration_transition(
            actor=station_staff, registration=reg, to=RegistrationStatus.REJECTED
        )
    reg = services.self_registration_transition(
        actor=station_staff, registration=reg, to=RegistrationStatus.REJECTED, reason="身份证不符"
    )
    assert reg.status == RegistrationStatus.REJECTED and reg.reason == "身份证不符"


def test_every_edge_of_the_table(memory_sms, station_staff):
    statuses = list(RegistrationStatus.values)
    for source in statuses:
        for target in statuses:
            account, reg, _phone = _new_request(memory_sms)
            SelfRegistration.objects.filter(pk=reg.pk).update(status=source)
            reg.refresh_from_db()
            allowed = REGISTRATION_TRANSITIONS.get(source, {}).get(target)
            worker_move = allowed is not None and "worker" in allowed
            kwargs: dict[str, Any] = {
                "reason": "x",
                "data": {"id_card_seen": True, "hukou_region": "510104"},
            }
            if allowed is None:
                with pytest.raises(TransitionNotAllowed):
                    services.self_registration_transition(
                        actor=station_staff, registration=reg, to=target, **kwargs
                    )
                with pytest.raises(TransitionNotAllowed):
                    services.self_registration_transition(
                        actor=None, account=account, registration=reg, to=target
                    )
            elif worker_move:
                with pytest.raises(TransitionNotAllowed):  # staff cannot cancel for the worker
                    services.self_registration_transition(
                        actor=station_staff, registration=reg, to=target, **kwargs
                    )
                done = services.self_registration_transition(
                    actor=None, account=account, registration=reg, to=target
                )
                assert done.status == target
            else:
                with pytest.raises(TransitionNotAllowed):  # the worker cannot confirm themselves
                    services.self_registration_transition(
                        actor=None, account=account, registration=reg, to=target
                    )
                done = services.self_registration_transition(
                    actor=station_staff, registration=reg, to=target, **kwargs
                )
                assert done.status == target


def test_staff_outside_the_region_do_not_see_the_request(memory_sms, make_user):
    _account, reg, _phone = _new_request(memory_sms)
    beijing = actor_for(make_user("org_admin", org="bj"))
    with pytest.raises(NotFound):
        services.self_registration_transition(
            actor=beijing, registration=reg, to=RegistrationStatus.REJECTED, reason="x"
        )
    analyst = actor_for(make_user("analyst"))
    with pytest.raises(PermissionDenied):
        services.self_registration_transition(
            actor=analyst, registration=reg, to=RegistrationStatus.REJECTED, reason="x"
        )


def test_another_account_cannot_cancel_my_request(memory_sms):
    _account, reg, _phone = _new_request(memory_sms)
    other = _sign_in(memory_sms, make_phone())
    with pytest.raises(NotFound):
        services.self_registration_transition(
            actor=None, account=other, registration=reg, to=RegistrationStatus.CANCELLED
        )
