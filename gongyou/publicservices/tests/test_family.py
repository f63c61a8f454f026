"""Family members: validation, one spouse, versions, scope, audit on the worker's timeline."""

from __future__ import annotations

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.publicservices import selectors, services
from gongyou.publicservices.services import VersionChanged

pytestmark = pytest.mark.django_db


def test_add_validates_and_audits(worker_factory, admin_actor):
    w = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.family_member_add(
            actor=admin_actor,
            worker=w,
            data={"relation": "child", "name": "", "school_stage": "phd"},
        )
    assert set(exc.value.fields) == {"name", "birth_date", "school_stage"}
    with pytest.raises(ValidationFailed) as exc:
        services.family_member_add(
            actor=admin_actor,
            worker=w,
            data={"relation": "child", "name": "小", "birth_date": "2999-01-01"},
        )
    assert exc.value.fields["birth_date"]["code"] == "in_future"
    m = services.family_member_add(
        actor=admin_actor, worker=w, data={"relation": "spouse", "name": "李娜"}
    )
    assert AuditEvent.objects.get(action="publicservices.family.add").worker_id == w.pk
    with pytest.raises(Conflict):
        services.family_member_add(
            actor=admin_actor, worker=w, data={"relation": "spouse", "name": "另一个"}
        )
    assert [x.pk for x in selectors.family_list(worker=w)] == [m.pk]


def test_update_and_remove(worker_factory, admin_actor):
    w = worker_factory()
    m = services.family_member_add(
        actor=admin_actor,
        worker=w,
        data={"relation": "child", "name": "小明", "birth_date": "2015-01-01"},
    )
    m = services.family_member_update(
        actor=admin_actor,
        worker=w,
        member_id=m.pk,
        data={"school_stage": "primary"},
        expected_version=1,
    )
    assert m.school_stage == "primary" and m.version == 2
    with pytest.raises(VersionChanged):
        services.family_member_update(
            actor=admin_actor, worker=w, member_id=m.pk, data={}, expected_version=1
        )
    services.family_member_remove(actor=admin_actor, worker=w, member_id=m.pk)
    with pytest.raises(NotFound):
        services.family_member_remove(actor=admin_actor, worker=w, member_id=m.pk)


def test_out_of_scope_and_analysts(worker_factory, make_user):
    w = worker_factory()
    bj = actor_for(make_user("case_handler", org="bj"))
    with pytest.raises(NotFound):
        services.family_member_add(actor=bj, worker=w, data={"relation": "spouse", "name": "x"})
    analyst = actor_for(make_user("analyst", org="sz"))
    from gongyou.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.family_member_add(
            actor=analyst, worker=w, data={"relation": "spouse", "name": "x"}
        )
