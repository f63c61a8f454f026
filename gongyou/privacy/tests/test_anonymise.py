import datetime as dt

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.cases.enums import CaseStatus
from gongyou.cases.tests.factories import force_status, make_case
from gongyou.core import crypto
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.portal.models import CorrectionRequest, PortalAccount
from gongyou.privacy.models import LegalHold
from gongyou.privacy.services import legal_hold_place, legal_hold_release
from gongyou.publicservices.models import FamilyMember
from gongyou.stations.models import Visit
from gongyou.testing import make_national_id
from gongyou.workers import anonymise
from gongyou.workers.models import SkillCertificate, Worker
from gongyou.workers.selectors import national_id_lookup_hash
from gongyou.workers.services import (
    WorkerAnonymised,
    certificate_add,
    worker_anonymise,
    worker_reveal,
    worker_update,
)

NUMBER = make_national_id(region="440305", birth=dt.date(1988, 11, 23), sex="F")


@pytest.fixture
def person(admin_actor, worker_factory, station_factory):
    worker = worker_factory(
        national_id=NUMBER, name="陈小红", phone="13712340000", current_address="南山区科技园1号"
    )
    worker_update(actor=admin_actor, worker=worker, data={"name": "陈晓红"})
    certificate_add(
        actor=admin_actor,
        worker=worker,
        occupation="6-18-02-04",
        level=4,
        certificate_no="S0099",
        issuing_organisation="深圳市职业技能鉴定中心",
        issued_on="2024-06-01",
    )
    station = station_factory()
    Visit.objects.create(station=station, service="rest", worker=worker, note="她说住在3栋")
    FamilyMember.objects.create(
        worker=worker, relation="child", name="陈小明", birth_date=dt.date(2016, 3, 9), note="x"
    )
    phone = "13712340000"
    account = PortalAccount.objects.create(
        phone_enc=crypto.encrypt(phone, context="phone"),
        phone_hash=crypto.blind_index(phone, context="phone"),
        phone_masked="137****0000",
        worker=worker,
    )
    CorrectionRequest.objects.create(
        worker=worker, field="name", requested_value="陈晓红", explanation="身份证上是晓"
    )
    return Worker.objects.get(pk=worker.pk), account


def test_identity_is_replaced_and_statistics_kept(admin_actor, person):
    worker, account = person
    result = worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="deletion request")
    assert result.status == "anonymised"
    after = Worker.objects.get(pk=worker.pk)
    assert after.name == f"匿名{worker.pk}" and after.anonymised_at is not None
    assert after.national_id_enc == "" and after.national_id_masked == "*" * 18
    assert after.national_id_hash != worker.national_id_hash and len(after.national_id_hash) == 64
    assert (after.phone_enc, after.phone_hash, after.phone_masked, after.current_address) == (
        "",
        "",
        "",
        "",
    )
    assert after.birth_date == dt.date(1988, 7, 1)  # the year only
    for kept in ("sex", "hukou_region_id", "current_region_id", "education", "industry"):
        assert getattr(after, kept) == getattr(worker, kept)
    assert SkillCertificate.objects.get(worker=worker).certificate_no.startswith("anon-")
    assert SkillCertificate.objects.get(worker=worker).level == 4
    assert Visit.objects.get(worker=worker).note == ""
    member = FamilyMember.objects.get(worker=worker)
    assert member.name.startswith("anon-") and member.birth_date == dt.date(2016, 7, 1)
    assert not PortalAccount.objects.filter(pk=account.pk).exists()
    correction = CorrectionRequest.objects.get(worker=worker)
    assert correction.requested_value == "" and correction.explanation == ""
    # nothing leads back to the ID number; it may be registered again
    assert not Worker.objects.filter(national_id_hash=national_id_lookup_hash(NUMBER)).exists()


def test_the_audit_trail_stays_without_personal_values(admin_actor, person):
    worker, _account = person
    worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="deletion request")
    events = AuditEvent.objects.filter(worker_id=worker.pk)
    assert {"worker.register", "worker.update", "certificate.add", "worker.anonymise"} <= {
        e.action for e in events
    }
    text = " ".join(f"{e.summary} {e.before} {e.after}" for e in events)
    for secret in ("陈小红", "陈晓红", "S0099", worker.national_id_masked, worker.phone_masked):
        assert secret not in text
    done = events.get(action="worker.anonymise")
    assert done.purpose == "deletion request" and done.actor == admin_actor.user
    assert done.after["rows"]["workers.Worker"] == 1


def test_anonymising_twice_is_harmless(admin_actor, person):
    worker, _account = person
    worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    again = worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    assert again.status == "already"
    assert AuditEvent.objects.filter(action="worker.anonymise").count() == 1


def test_an_anonymised_worker_cannot_be_revealed_or_edited(admin_actor, person):
    worker, _account = person
    worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    worker = Worker.objects.get(pk=worker.pk)
    with pytest.raises(WorkerAnonymised):
        worker_reveal(actor=admin_actor, worker=worker, fields=["phone"], purpose="contact")
    with pytest.raises(WorkerAnonymised):
        worker_update(actor=admin_actor, worker=worker, data={"name": "王五"})


def test_open_case_and_legal_hold_block_it(admin_actor, person):
    worker, _account = person
    case = make_case(actor=admin_actor, workers=[worker])
    hold = legal_hold_place(actor=admin_actor, worker_id=worker.pk, reason="court order 2026-17")
    result = worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    assert result.status == "blocked"
    assert result.reasons == ["legal hold: court order 2026-17", f"open case {case.reference}"]
    assert Worker.objects.get(pk=worker.pk).name == "陈晓红"
    assert not AuditEvent.objects.filter(action="worker.anonymise").exists()
    force_status(case, CaseStatus.CLOSED)
    assert worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r").status == "blocked"
    legal_hold_release(actor=admin_actor, hold_id=hold.pk, reason="case settled")
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None
    assert worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r").status == (
        "anonymised"
    )


def test_merged_records_of_the_person_are_anonymised_too(admin_actor, person, worker_factory):
    worker, _account = person
    twin = worker_factory(name="陈小红", phone="13712340001")
    Worker.objects.filter(pk=twin.pk).update(merged_into=worker)
    worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    twin = Worker.objects.get(pk=twin.pk)
    assert twin.name == f"匿名{twin.pk}" and twin.phone_enc == "" and twin.anonymised_at


def test_only_system_admins_and_a_reason(make_user, person):
    worker, _account = person
    with pytest.raises(PermissionDenied):
        worker_anonymise(
            actor=actor_for(make_user("org_admin", org="sz")), worker_id=worker.pk, reason="r"
        )
    with pytest.raises(ValidationFailed) as info:
        worker_anonymise(actor=actor_for(make_user("system_admin")), worker_id=worker.pk, reason="")
    assert info.value.fields["reason"]["code"] == "required"
    with pytest.raises(NotFound):
        worker_anonymise(actor=None, worker_id=10**9, reason="r")


def test_a_failure_half_way_changes_nothing(admin_actor, person, monkeypatch):
    worker, account = person
    monkeypatch.setitem(
        anonymise.DECLARATIONS,
        "stations.Visit",
        anonymise.PiiDeclaration("stations.Visit", "worker", {"no_such_column": "blank"}),
    )
    with pytest.raises(Exception):  # noqa: B017 - any database error
        worker_anonymise(actor=admin_actor, worker_id=worker.pk, reason="r")
    after = Worker.objects.get(pk=worker.pk)
    assert after.name == "陈晓红" and after.anonymised_at is None and after.phone_enc
    assert PortalAccount.objects.filter(pk=account.pk).exists()
    assert not AuditEvent.objects.filter(action="worker.anonymise").exists()


def test_the_inventory_matches_the_models():
    assert anonymise.pii_declarations_check() == []
    assert "publicservices.FamilyMember" in anonymise.DECLARATIONS


def test_a_worker_no_longer_due_under_the_lock_is_left_as_is(person):
    """The retention run selects candidates before locking each worker: one who re-consented
    meanwhile answers False to `still_due` under the lock and keeps their identity."""
    worker, _account = person
    result = worker_anonymise(
        actor=None, worker_id=worker.pk, reason="retention", still_due=lambda pk: False
    )
    assert result.status == "blocked"
    worker.refresh_from_db()
    assert worker.anonymised_at is None and not worker.name.startswith("匿名")
