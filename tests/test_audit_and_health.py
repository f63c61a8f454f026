import pytest
from django.test import Client

from gongyou.core.errors import ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.regions.models import code_range
from gongyou.testing import make_national_id
from gongyou.workers.models import Worker
from gongyou.workers.services import worker_update

pytestmark = pytest.mark.django_db


def test_healthz(client):
    res = client.get("/healthz")
    assert res.status_code == 200 and res.json()["status"] == "ok"


def test_failed_write_leaves_no_audit_row(admin_actor, worker_factory):
    worker = worker_factory()
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        worker_update(actor=admin_actor, worker=worker, data={"current_region": "000000"})
    assert AuditEvent.objects.count() == before


def test_audit_row_is_in_the_same_transaction(admin_actor, worker_factory, monkeypatch):
    """If writing the audit row fails, the change itself is rolled back."""
    import gongyou.workers.services as services

    worker = worker_factory(name="原名")

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        worker_update(actor=admin_actor, worker=worker, data={"name": "新名"})
    assert Worker.objects.get(pk=worker.pk).name == "原名"


def test_audit_page_is_for_admins_in_their_region(make_user, worker_factory):
    worker_factory()
    admin = make_user("org_admin", org="sz")
    c = Client()
    c.force_login(admin)
    res = c.get("/accounts/audit/", {"action": "worker.register"})
    assert res.status_code == 200 and "worker.register" in res.content.decode()
    c.force_login(make_user("analyst"))
    assert c.get("/accounts/audit/").status_code == 404
    c.force_login(make_user("org_admin", org="bj"))
    assert (
        "worker.register"
        not in c.get("/accounts/audit/", {"action": "worker.register"})
        .content.decode()
        .split("<tbody>")[1]
    )


def test_code_range():
    assert code_range("44") == ("440000", "450000")
    assert code_range("4403") == ("440300", "440400")
    assert code_range("440305") == ("440305", "440306")
    assert code_range("") == ("000000", None)


def test_id_numbers_are_never_in_the_audit_log(admin_actor, worker_factory):
    number = make_national_id()
    worker_factory(national_id=number, phone="13711112222")
    dump = str(list(AuditEvent.objects.values()))
    assert number not in dump and "13711112222" not in dump


def test_national_admin_sees_every_event(make_user):
    from gongyou.accounts.policies import actor_for
    from gongyou.testing import make_worker

    make_worker(actor=actor_for(make_user("case_handler", org="sz")))  # an event by a Shenzhen user
    c = Client()
    c.force_login(make_user("system_admin", org="national"))
    body = (
        c.get("/accounts/audit/", {"action": "worker.register"})
        .content.decode()
        .split("<tbody>")[1]
    )
    assert "worker.register" in body
