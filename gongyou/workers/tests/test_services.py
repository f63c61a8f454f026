import pytest
from django.db import connection

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.testing import make_national_id
from gongyou.workers.models import Worker
from gongyou.workers.selectors import WorkerFilter, worker_list, worker_timeline
from gongyou.workers.services import (
    WorkerAlreadyRegistered,
    certificate_add,
    worker_register,
    worker_reveal,
    worker_update,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "李娜",
    "phone": "13912345678",
    "hukou_region": "510104",
    "current_region": "440305",
}


def test_register_encrypts_masks_and_derives(admin_actor):
    number = make_national_id(region="510104", sex="F")
    worker = worker_register(actor=admin_actor, data={**GOOD, "national_id": number})
    assert worker.sex == "F" and worker.birth_date.year == 1990
    assert worker.national_id_masked == number[:6] + "********" + number[-4:]
    assert worker.phone_masked == "139****5678"
    assert worker.migration_scope == "cross_province"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id_enc, phone_enc FROM workers_worker WHERE id = %s", [worker.pk]
        )
        enc_id, enc_phone = cursor.fetchone()
    assert number not in enc_id and "13912345678" not in enc_phone
    event = AuditEvent.objects.get(action="worker.register", entity_id=str(worker.pk))
    assert event.worker_id == worker.pk and number not in str(event.after)


def test_register_names_every_bad_field_at_once(admin_actor):
    with pytest.raises(ValidationFailed) as info:
        worker_register(
            actor=admin_actor,
            data={
                "national_id": "110105194912310021",
                "name": "",
                "phone": "12345",
                "hukou_region": "999999",
                "current_region": "abc",
                "education": "phd",
            },
        )
    assert set(info.value.fields) == {
        "national_id",
        "name",
        "phone",
        "hukou_region",
        "current_region",
        "education",
    }
    assert info.value.fields["national_id"]["code"] == "invalid_check_digit"
    assert (
        Worker.objects.count() == 0
        and AuditEvent.objects.filter(action="worker.register").count() == 0
    )


def test_one_worker_per_id_number_in_any_spelling(admin_actor):
    first = worker_register(actor=admin_actor, data={**GOOD, "national_id": "11010519491231002X"})
    for spelling in [
        "11010519491231002x",
        " 110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105491231002",
    ]:
        with pytest.raises(WorkerAlreadyRegistered) as info:
            worker_register(actor=admin_actor, data={**GOOD, "national_id": spelling})
        assert info.value.status == 409
        assert info.value.extra["existing_worker"]["id"] == first.pk
    assert Worker.objects.count() == 1


def test_conflict_outside_scope_does_not_say_who(admin_actor, make_user):
    worker_register(actor=admin_actor, data={**GOOD, "national_id": "11010519491231002X"})
    beijing = actor_for(make_user("case_handler", org="bj"))
    with pytest.raises(WorkerAlreadyRegistered) as info:
        worker_register(
            actor=beijing,
            data={
                **GOOD,
                "hukou_region": "110105",
                "current_region": "110105",
                "national_id": "11010519491231002X",
            },
        )
    assert "existing_worker" not in info.value.extra
    assert "李娜" not in info.value.message


def test_register_outside_own_area_is_refused(make_user):
    beijing = actor_for(make_user("case_handler", org="bj"))
    with pytest.raises(ValidationFailed) as info:
        worker_register(actor=beijing, data={**GOOD, "national_id": make_national_id()})
    assert info.value.fields["current_region"]["code"] == "out_of_scope"


def test_analyst_cannot_register(make_user):
    with pytest.raises(PermissionDenied):
        worker_register(
            actor=actor_for(make_user("analyst")), data={**GOOD, "national_id": make_national_id()}
        )


def test_update_audits_only_changes_and_keeps_data_on_error(admin_actor, worker_factory):
    worker = worker_factory(name="王强")
    with pytest.raises(ValidationFailed):
        worker_update(actor=admin_actor, worker=worker, data={"name": "王强强", "phone": "bad"})
    worker.refresh_from_db()
    assert worker.name == "王强"
    worker_update(
        actor=admin_actor, worker=worker, data={"name": "王强强", "education": "bachelor"}
    )
    event = AuditEvent.objects.filter(action="worker.update").get()
    assert event.before == {"name": "王强", "education": "junior_secondary"}
    assert event.after == {"name": "王强强", "education": "bachelor"}
    worker_update(actor=admin_actor, worker=worker, data={"name": "王强强"})
    assert AuditEvent.objects.filter(action="worker.update").count() == 1  # no change, no event


def test_reveal_is_role_gated_and_audited(worker_factory, make_user):
    number = make_national_id()
    worker = worker_factory(national_id=number, phone="13700001111")
    handler = actor_for(make_user("case_handler"))
    assert worker_reveal(
        actor=handler,
        worker=worker,
        fields=["national_id", "phone"],
        purpose="case",
        detail=" arbitration\n hearing ",
    ) == {"national_id": number, "phone": "13700001111"}
    event = AuditEvent.objects.get(action="worker.reveal")
    assert event.purpose == "case: arbitration hearing" and event.actor == handler.user
    assert event.after == {
        "fields": ["national_id", "phone"],
        "purpose": "case",
        "detail": "arbitration hearing",
    }
    with pytest.raises(PermissionDenied):
        worker_reveal(actor=actor_for(make_user("analyst")), worker=worker, fields=["phone"])
    with pytest.raises(PermissionDenied):
        worker_reveal(
            actor=actor_for(make_user("employment_officer")), worker=worker, fields=["national_id"]
        )
    assert worker_reveal(
        actor=actor_for(make_user("employment_officer")),
        worker=worker,
        fields=["phone"],
        purpose="contact",
    ) == {"phone": "13700001111"}
    assert (
        AuditEvent.objects.filter(action="worker.reveal").last().purpose
        == "case: arbitration hearing"
    )
    with pytest.raises(ValidationFailed) as info:
        worker_reveal(actor=handler, worker=worker, fields=["phone"], purpose="  ")
    assert info.value.fields["purpose"]["code"] == "required"
    with pytest.raises(NotFound):
        worker_reveal(
            actor=actor_for(make_user("case_handler", org="bj")), worker=worker, fields=["phone"]
        )


def test_scope_covers_current_and_hukou_region(worker_factory, make_user):
    worker = worker_factory(hukou_region="510104", current_region="440305")
    assert (
        worker_list(actor=actor_for(make_user("analyst", org="sz"))).filter(pk=worker.pk).exists()
    )
    assert (
        not worker_list(actor=actor_for(make_user("analyst", org="bj")))
        .filter(pk=worker.pk)
        .exists()
    )


def test_search_filters(admin_actor, worker_factory):
    a = worker_factory(name="陈明", phone="13611112222", education="bachelor")
    worker_factory(name="陈芳", current_region="110105", hukou_region="110105")
    assert list(worker_list(actor=admin_actor, filters=WorkerFilter(phone="136 1111 2222"))) == [a]
    assert {w.name for w in worker_list(actor=admin_actor, filters=WorkerFilter(name="陈"))} == {
        "陈明",
        "陈芳",
    }
    assert list(
        worker_list(actor=admin_actor, filters=WorkerFilter(region="440000", name="陈"))
    ) == [a]
    assert list(worker_list(actor=admin_actor, filters=WorkerFilter(education="bachelor"))) == [a]


def test_certificate_and_timeline(admin_actor, worker_factory):
    worker = worker_factory()
    certificate_add(
        actor=admin_actor,
        worker=worker,
        occupation="6-18-02-04",
        level=4,
        certificate_no="S0001",
        issuing_organisation="深圳市职业技能鉴定中心",
        issued_on="2024-06-01",
    )
    with pytest.raises(ValidationFailed) as info:
        certificate_add(
            actor=admin_actor,
            worker=worker,
            occupation="9-99",
            level=7,
            certificate_no="",
            issuing_organisation="",
            issued_on="2099-01-01",
        )
    assert set(info.value.fields) == {
        "occupation",
        "level",
        "certificate_no",
        "issuing_organisation",
        "issued_on",
    }
    actions = [e.action for e in worker_timeline(worker=worker)]
    assert actions == ["certificate.add", "worker.register"]


@pytest.mark.parametrize(
    ("purpose", "detail", "field", "code"),
    [
        ("", "", "purpose", "required"),
        ("  ", "wage claim", "purpose", "required"),
        ("arbitration", "", "purpose", "invalid_choice"),
        ("other", "", "detail", "required"),
        ("other", "  ", "detail", "required"),
        ("case", "x" * 151, "detail", "too_long"),
    ],
    ids=["missing", "blank", "not-in-list", "other-without-detail", "other-blank", "long"],
)
def test_reveal_needs_a_purpose_from_the_list(
    worker_factory, make_user, purpose, detail, field, code
):
    worker = worker_factory(phone="13700001112")
    handler = actor_for(make_user("case_handler"))
    with pytest.raises(ValidationFailed) as info:
        worker_reveal(
            actor=handler, worker=worker, fields=["phone"], purpose=purpose, detail=detail
        )
    assert info.value.fields[field]["code"] == code
    assert not AuditEvent.objects.filter(action="worker.reveal").exists()


def test_reveal_for_another_purpose_keeps_the_reason(worker_factory, make_user):
    worker = worker_factory(phone="13700001113")
    handler = actor_for(make_user("case_handler"))
    worker_reveal(
        actor=handler, worker=worker, fields=["phone"], purpose="other", detail="court summons"
    )
    assert AuditEvent.objects.get(action="worker.reveal").purpose == "other: court summons"


def test_ids_by_national_hash_in_chunks(worker_factory, monkeypatch):
    from gongyou.workers import selectors

    workers = [worker_factory() for _ in range(5)]
    monkeypatch.setattr(selectors, "_IN_CHUNK", 2)
    hashes = [w.national_id_hash for w in workers] + ["0" * 64]
    assert selectors.worker_ids_by_national_hash(hashes) == {
        w.national_id_hash: w.pk for w in workers
    }
    assert selectors.worker_ids_by_national_hash([]) == {}
