"""Correction requests and consent from the worker; the correction table, edge by edge."""

from __future__ import annotations

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.portal import services
from gongyou.portal.enums import CORRECTION_TRANSITIONS, CorrectionStatus
from gongyou.portal.models import CorrectionRequest, PortalAccount
from gongyou.portal.services import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_request_validation_names_every_field(account_for, sz_worker):
    account = account_for(sz_worker)
    with pytest.raises(ValidationFailed) as err:
        services.correction_request_create(
            account=account, field="shoe_size", requested_value="", explanation="x" * 1001
        )
    assert set(err.value.fields) == {"field", "requested_value", "explanation"}


def test_an_unlinked_account_cannot_ask(sz_worker):
    account = PortalAccount.objects.create(
        phone_enc="x", phone_hash="h", phone_masked="138****0000"
    )
    with pytest.raises(NotFound):
        services.correction_request_create(account=account, field="name", requested_value="李娜")
    with pytest.raises(NotFound):
        services.consent_set_by_worker(account=account, purpose="contact", granted=True)


def test_one_open_request_per_field(account_for, sz_worker):
    account = account_for(sz_worker)
    services.correction_request_create(account=account, field="name", requested_value="李娜娜")
    with pytest.raises(Conflict):
        services.correction_request_create(account=account, field="name", requested_value="李娜娜")
    services.correction_request_create(
        account=account, field="phone", requested_value="13912345678"
    )
    assert (
        AuditEvent.objects.filter(
            action="portal.correction_request", worker_id=sz_worker.pk
        ).count()
        == 2
    )


def test_every_edge_of_the_table(account_for, sz_worker, sz_admin):
    account = account_for(sz_worker)
    staff = actor_for(sz_admin)
    for source in CorrectionStatus.values:
        for target in CorrectionStatus.values:
            CorrectionRequest.objects.all().delete()
            row = services.correction_request_create(
                account=account, field="name", requested_value="李娜娜"
            )
            CorrectionRequest.objects.filter(pk=row.pk).update(status=source)
            allowed = CORRECTION_TRANSITIONS.get(source, {}).get(target)
            if allowed is None:
                with pytest.raises(TransitionNotAllowed):
                    services.correction_transition(
                        correction=row, to=target, actor=staff, reply="r"
                    )
                with pytest.raises(TransitionNotAllowed):
                    services.correction_transition(correction=row, to=target, account=account)
            elif "worker" in allowed:
                with pytest.raises(TransitionNotAllowed):
                    services.correction_transition(
                        correction=row, to=target, actor=staff, reply="r"
                    )
                assert (
                    services.correction_transition(
                        correction=row, to=target, account=account
                    ).status
                    == target
                )
            else:
                with pytest.raises(TransitionNotAllowed):
                    services.correction_transition(correction=row, to=target, account=account)
                done = services.correction_transition(
                    correction=row, to=target, actor=staff, reply="r"
                )
                assert done.status == target and done.decided_by == sz_admin


def test_refusing_needs_a_reply_and_scope_is_enforced(account_for, sz_worker, make_user):
    account = account_for(sz_worker)
    row = services.correction_request_create(
        account=account, field="name", requested_value="李娜娜"
    )
    staff = actor_for(make_user("case_handler"))
    with pytest.raises(ValidationFailed):
        services.correction_transition(correction=row, to=CorrectionStatus.REFUSED, actor=staff)
    with pytest.raises(NotFound):
        services.correction_transition(
            correction=row,
            to=CorrectionStatus.DONE,
            actor=actor_for(make_user("org_admin", org="bj")),
        )
    with pytest.raises(PermissionDenied):
        services.correction_transition(
            correction=row, to=CorrectionStatus.DONE, actor=actor_for(make_user("analyst"))
        )


def test_consent_from_the_worker_is_audited_on_their_timeline(account_for, sz_worker):
    account = account_for(sz_worker)
    services.consent_set_by_worker(account=account, purpose="sharing", granted=False)
    event = AuditEvent.objects.get(action="consent.record", worker_id=sz_worker.pk)
    assert event.actor_id is None and event.actor_label == f"portal: worker {sz_worker.pk}"
    with pytest.raises(ValidationFailed):
        services.consent_set_by_worker(account=account, purpose="marketing", granted=True)
