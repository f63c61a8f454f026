"""Duplicate review and the audited, reversible merge of two workers. Cross-app: the merge
must carry visits (stations) and claimants (cases), which the workers app cannot import."""

import datetime as dt

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.cases.models import Claimant
from gongyou.cases.tests.factories import make_case
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.stations.models import Visit
from gongyou.stations.services import visit_log
from gongyou.testing import api_client_for, make_national_id, make_phone
from gongyou.workers.enums import DuplicateReason
from gongyou.workers.models import Consent, SkillCertificate, Worker, WorkerMerge
from gongyou.workers.selectors import (
    WorkerFilter,
    worker_duplicate_candidates,
    worker_list,
    worker_timeline,
)
from gongyou.workers.services import (
    WorkerAlreadyRegistered,
    WorkerMergeClash,
    WorkerMergeNotAllowed,
    certificate_add,
    consent_record,
    worker_merge,
    worker_merge_undo,
    worker_register,
)

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1988, 3, 9)


def _id(seq, region="510104"):
    return make_national_id(region=region, birth=BIRTH, seq=seq)


@pytest.fixture
def pair(worker_factory):
    """Two records of one person: same name, birth date and hukou county, different ID numbers."""
    a = worker_factory(national_id=_id(11), name="王秀英")
    b = worker_factory(national_id=_id(12), name="王秀英")
    return a, b


@pytest.fixture
def sz_admin_actor(sz_admin):
    return actor_for(sz_admin)


def _pairs(candidates):
    return {(c.first.pk, c.second.pk): c.reasons for c in candidates}


# --- candidates -------------------------------------------------------------------------------


def test_candidates_same_name_birth_and_hukou(pair, worker_factory, sz_admin_actor):
    a, b = pair
    worker_factory(national_id=_id(13), name="王秀英", hukou_region="510105")  # other county
    worker_factory(national_id=_id(14), name="王秀", hukou_region="510104")  # other name
    found = _pairs(worker_duplicate_candidates(actor=sz_admin_actor, limit=50))
    assert found[(a.pk, b.pk)] == [DuplicateReason.NAME_BIRTH_HUKOU]
    assert all(a.pk in p or b.pk in p for p in found if set(p) & {a.pk, b.pk})
    assert len([p for p in found if found[p] == [DuplicateReason.NAME_BIRTH_HUKOU]]) == 1


def test_candidates_same_phone(worker_factory, sz_admin_actor):
    phone = make_phone()
    a = worker_factory(name="赵磊", phone=phone)
    b = worker_factory(name="赵雷", phone=phone)
    found = _pairs(worker_duplicate_candidates(actor=sz_admin_actor, limit=50))
    assert found[(a.pk, b.pk)] == [DuplicateReason.PHONE]


def test_candidates_are_scoped_and_limited(pair, worker_factory, make_user):
    a, b = pair
    far = {"hukou_region": "110105", "current_region": "110105", "name": "孙丽"}
    c = worker_factory(national_id=_id(21, "110105"), **far)
    d = worker_factory(national_id=_id(22, "110105"), **far)
    sz = actor_for(make_user("org_admin", org="sz"))
    bj = actor_for(make_user("org_admin", org="bj"))
    assert (a.pk, b.pk) in _pairs(worker_duplicate_candidates(actor=sz, limit=50))
    assert (c.pk, d.pk) not in _pairs(worker_duplicate_candidates(actor=sz, limit=50))
    assert set(_pairs(worker_duplicate_candidates(actor=bj, limit=50))) == {(c.pk, d.pk)}
    assert (
        len(
            worker_duplicate_candidates(
                actor=actor_for(make_user("system_admin", org="national")), limit=1
            )
        )
        == 1
    )


def test_candidates_need_merge_capability(pair, make_user):
    with pytest.raises(PermissionDenied):
        worker_duplicate_candidates(actor=actor_for(make_user("case_handler")), limit=50)


# --- merge ------------------------------------------------------------------------------------


def _record_everything(actor, worker, station, n):
    visit, _ = visit_log(actor=actor, station_id=station.pk, service="rest", worker_id=worker.pk)
    cert = certificate_add(
        actor=actor,
        worker=worker,
        occupation="6-29-01-01",
        level=4,
        certificate_no=f"C-{n}",
        issuing_organisation="深圳市职业技能鉴定中心",
        issued_on="2020-01-01",
    )
    consent = consent_record(
        actor=actor, worker=worker, purpose="registry", granted=True, method="paper"
    )
    return visit, cert, consent


def test_merge_moves_every_record_and_hides_the_merged_worker(
    pair, station_factory, admin_actor, sz_admin_actor
):
    keep, merge = pair
    station = station_factory()
    kept_rows = _record_everything(admin_actor, keep, station, 1)
    moved_rows = _record_everything(admin_actor, merge, station, 2)
    merged_events = set(
        AuditEvent.objects.filter(worker_id=merge.pk).values_list("pk", "worker_id")
    )

    record = worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="同一人两次登记")

    visit, cert, consent = moved_rows
    assert Visit.objects.get(pk=visit.pk).worker_id == keep.pk
    assert SkillCertificate.objects.get(pk=cert.pk).worker_id == keep.pk
    assert Consent.objects.get(pk=consent.pk).worker_id == keep.pk
    assert record.moved == {
        "stations.Visit": [visit.pk],
        "workers.SkillCertificate": [cert.pk],
        "workers.Consent": [consent.pk],
    }
    for row in kept_rows:
        row.refresh_from_db()
        assert row.worker_id == keep.pk
    # Audit events are history: they stay on the merged worker and show on the kept one's timeline.
    assert merged_events <= set(
        AuditEvent.objects.filter(worker_id=merge.pk).values_list("pk", "worker_id")
    )
    timeline_workers = set(worker_timeline(worker=keep).values_list("worker_id", flat=True))
    assert timeline_workers == {keep.pk, merge.pk}
    merge.refresh_from_db()
    assert merge.merged_into_id == keep.pk and merge.merged_at is not None
    events = AuditEvent.objects.filter(action="worker.merge")
    assert sorted(events.values_list("worker_id", flat=True)) == sorted([keep.pk, merge.pk])
    event = events.first()
    assert event.before == {"merged_into": None, "merged_at": None}
    assert event.after["merged_into"] == keep.pk and event.purpose == "同一人两次登记"
    # Gone from lists and lookups.
    assert merge not in worker_list(actor=admin_actor)
    assert not worker_list(actor=admin_actor, filters=WorkerFilter(national_id=_id(12))).exists()
    with pytest.raises(NotFound):
        from gongyou.workers.selectors import worker_get

        worker_get(actor=admin_actor, worker_id=merge.pk)


def test_reregistering_a_merged_number_names_the_kept_worker(pair, sz_admin_actor):
    keep, merge = pair
    worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="重复")
    with pytest.raises(WorkerAlreadyRegistered) as info:
        worker_register(
            actor=sz_admin_actor,
            data={
                "national_id": _id(12),
                "name": "王秀英",
                "phone": make_phone(),
                "hukou_region": "510104",
                "current_region": "440305",
            },
        )
    assert info.value.extra["existing_worker"]["id"] == keep.pk


def test_clash_refuses_and_changes_nothing(pair, admin_actor, sz_admin_actor, station_factory):
    keep, merge = pair
    station = station_factory()
    visit, _ = visit_log(
        actor=admin_actor, station_id=station.pk, service="rest", worker_id=merge.pk
    )
    case = make_case(actor=admin_actor, workers=[keep, merge])
    audit_count = AuditEvent.objects.count()
    with pytest.raises(WorkerMergeClash) as info:
        worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="重复")
    assert info.value.status == 409
    clash = info.value.extra["clashes"][0]
    assert clash["model"] == "cases.Claimant" and clash["fields"] == {"case": case.pk}
    assert Claimant.objects.filter(case=case, worker=merge).exists()
    assert Visit.objects.get(pk=visit.pk).worker_id == merge.pk
    merge.refresh_from_db()
    assert merge.merged_into_id is None
    assert not WorkerMerge.objects.exists() and AuditEvent.objects.count() == audit_count


def test_claimant_without_clash_moves(pair, admin_actor, sz_admin_actor):
    keep, merge = pair
    case = make_case(actor=admin_actor, workers=[merge])
    record = worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="重复")
    claimant = Claimant.objects.get(case=case)
    assert claimant.worker_id == keep.pk and record.moved == {"cases.Claimant": [claimant.pk]}


def test_undo_restores_exactly(pair, station_factory, admin_actor, sz_admin_actor):
    keep, merge = pair
    station = station_factory()
    kept_rows = _record_everything(admin_actor, keep, station, 1)
    moved_rows = _record_everything(admin_actor, merge, station, 2)
    record = worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="重复")
    later, _ = visit_log(
        actor=admin_actor, station_id=station.pk, service="rest", worker_id=keep.pk
    )

    undone = worker_merge_undo(actor=sz_admin_actor, merge_id=record.pk, reason="不是同一人")

    assert undone.undone_at is not None
    for row in moved_rows:
        row.refresh_from_db()
        assert row.worker_id == merge.pk
    for row in (*kept_rows, later):
        row.refresh_from_db()
        assert row.worker_id == keep.pk
    merge.refresh_from_db()
    assert merge.merged_into_id is None and merge.merged_at is None
    assert worker_list(actor=admin_actor).filter(pk=merge.pk).exists()
    assert sorted(
        AuditEvent.objects.filter(action="worker.merge_undo").values_list("worker_id", flat=True)
    ) == sorted([keep.pk, merge.pk])
    assert set(worker_timeline(worker=keep).values_list("worker_id", flat=True)) == {keep.pk}
    with pytest.raises(WorkerMergeNotAllowed):
        worker_merge_undo(actor=sz_admin_actor, merge_id=record.pk, reason="again")


def test_merge_rules(pair, worker_factory, sz_admin_actor, make_user):
    keep, merge = pair
    with pytest.raises(ValidationFailed):
        worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason=" ")
    with pytest.raises(WorkerMergeNotAllowed):
        worker_merge(actor=sz_admin_actor, keep=keep, merge=keep, reason="x")
    worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="x")
    third = worker_factory(name="王秀英")
    with pytest.raises(WorkerMergeNotAllowed):  # a stale copy: the lock re-check catches it
        worker_merge(actor=sz_admin_actor, keep=third, merge=merge, reason="x")
    merge.refresh_from_db()
    with pytest.raises(NotFound):  # the merged worker no longer exists for anyone
        worker_merge(actor=sz_admin_actor, keep=third, merge=merge, reason="x")
    far = worker_factory(name="孙丽", hukou_region="110105", current_region="110105")
    with pytest.raises(NotFound):
        worker_merge(actor=sz_admin_actor, keep=keep, merge=far, reason="x")


@pytest.mark.parametrize(
    "role", ["case_handler", "employment_officer", "analyst", "programme_officer"]
)
def test_only_admins_merge(pair, make_user, role, sz_admin_actor):
    keep, merge = pair
    actor = actor_for(make_user(role))
    with pytest.raises(PermissionDenied):
        worker_merge(actor=actor, keep=keep, merge=merge, reason="x")
    record = worker_merge(actor=sz_admin_actor, keep=keep, merge=merge, reason="x")
    with pytest.raises(PermissionDenied):
        worker_merge_undo(actor=actor, merge_id=record.pk, reason="x")


# --- API and pages ----------------------------------------------------------------------------


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_api_contract(pair, sz_admin, make_user):
    keep, merge = pair
    client = api_client_for(sz_admin)
    res = client.get("/api/v1/workers/duplicates")
    assert res.status_code == 200, res.content
    body = res.json()
    item = next(i for i in body["items"] if i["first"]["id"] == keep.pk)
    assert item["second"]["id"] == merge.pk and item["reasons"] == ["name_birth_hukou"]
    assert "*" in item["first"]["national_id"]

    handler = api_client_for(make_user("case_handler"))
    assert handler.get("/api/v1/workers/duplicates").status_code == 403
    res = _post(handler, f"/api/v1/workers/{keep.pk}/merge", {"merge_id": merge.pk, "reason": "x"})
    assert res.status_code == 403

    res = _post(client, f"/api/v1/workers/{keep.pk}/merge", {"merge_id": merge.pk, "reason": ""})
    assert res.status_code == 422 and "reason" in res.json()["fields"]
    res = _post(
        client, f"/api/v1/workers/{keep.pk}/merge", {"merge_id": merge.pk, "reason": "重复"}
    )
    assert res.status_code == 201, res.content
    merge_id = res.json()["id"]
    assert res.json()["kept_id"] == keep.pk and res.json()["merged_id"] == merge.pk
    assert client.get(f"/api/v1/workers/{merge.pk}").status_code == 404
    res = _post(
        client,
        "/api/v1/workers",
        {
            "national_id": _id(12),
            "name": "王秀英",
            "phone": make_phone(),
            "hukou_region": "510104",
            "current_region": "440305",
        },
    )
    assert res.status_code == 409 and res.json()["existing_worker"]["id"] == keep.pk

    res = _post(client, f"/api/v1/worker-merges/{merge_id}/undo", {"reason": "错并"})
    assert res.status_code == 200 and res.json()["undone_at"]
    assert client.get(f"/api/v1/workers/{merge.pk}").status_code == 200
    assert _post(client, "/api/v1/worker-merges/999999/undo", {"reason": "x"}).status_code == 404


def test_api_clash_is_409(pair, sz_admin, admin_actor):
    keep, merge = pair
    make_case(actor=admin_actor, workers=[keep, merge])
    res = _post(
        api_client_for(sz_admin),
        f"/api/v1/workers/{keep.pk}/merge",
        {"merge_id": merge.pk, "reason": "x"},
    )
    assert res.status_code == 409 and res.json()["code"] == "worker_merge_clash"
    assert res.json()["clashes"][0]["model"] == "cases.Claimant"


def test_pages_review_merge_and_undo(pair, client, sz_admin):
    keep, merge = pair
    client.force_login(sz_admin)
    res = client.get("/workers/duplicates/")
    assert (
        res.status_code == 200 and f"/workers/merge/{keep.pk}/{merge.pk}/" in res.content.decode()
    )
    page = f"/workers/merge/{keep.pk}/{merge.pk}/"
    assert client.get(page).status_code == 200
    res = client.post(page, {"keep": merge.pk, "reason": ""})
    assert res.status_code == 200 and not WorkerMerge.objects.exists()
    res = client.post(page, {"keep": merge.pk, "reason": "重复登记"})
    assert res.status_code == 302 and res["Location"] == f"/workers/{merge.pk}/"
    record = WorkerMerge.objects.get()
    assert record.kept_id == merge.pk and record.merged_id == keep.pk
    detail = client.get(f"/workers/{merge.pk}/").content.decode()
    assert f"/workers/merges/{record.pk}/undo/" in detail
    res = client.post(f"/workers/merges/{record.pk}/undo/", {"reason": "错并", "worker": merge.pk})
    assert res.status_code == 302
    assert Worker.objects.get(pk=keep.pk).merged_into_id is None


def test_pages_refuse_case_handler(pair, client, make_user):
    keep, merge = pair
    client.force_login(make_user("case_handler"))
    assert client.get("/workers/duplicates/").status_code == 403
    assert client.get(f"/workers/merge/{keep.pk}/{merge.pk}/").status_code == 403
