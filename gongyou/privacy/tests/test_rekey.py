import io

import pytest
from django.core.management import CommandError, call_command

from gongyou.core import crypto
from gongyou.core.crypto import generate_key
from gongyou.core.models import AuditEvent
from gongyou.portal.models import PortalAccount
from gongyou.privacy.checks import key_ring_check, stored_keys_check
from gongyou.privacy.models import RekeyRun
from gongyou.privacy.selectors import rekey_census
from gongyou.privacy.services import (
    RekeyNotPossible,
    pii_rekey_batch,
    pii_rekey_run,
    pii_rekey_start,
)
from gongyou.workers.models import Worker
from gongyou.workers.services import worker_reveal, worker_update

NEW = generate_key()
WORKER_COLUMNS = ("workers.Worker.national_id_enc", "workers.Worker.phone_enc")


@pytest.fixture
def old_ring(settings):
    return settings.PII_KEYS  # t1 encrypts, t0 decrypts


@pytest.fixture
def workers(worker_factory):
    return [worker_factory(phone=f"1370000000{i}") for i in range(3)]


def rotate(settings, old_ring: str) -> None:
    settings.PII_KEYS = f"n1:{NEW},{old_ring}"  # every process restarted with the new ring


def values() -> list[str]:
    return [v for w in Worker.objects.all() for v in (w.national_id_enc, w.phone_enc)]


def reveal_all(actor) -> dict[int, dict[str, str]]:
    return {
        w.pk: worker_reveal(
            actor=actor, worker=w, fields=["national_id", "phone"], purpose="verify"
        )
        for w in Worker.objects.all()
    }


def test_old_and_new_values_are_readable_during_rotation(
    settings, old_ring, admin_actor, workers, worker_factory
):
    before = reveal_all(admin_actor)
    rotate(settings, old_ring)
    fresh = worker_factory(phone="13700000009")
    assert crypto.key_id_of(fresh.phone_enc) == "n1"
    run = pii_rekey_start(actor=admin_actor, batch_size=1)
    pii_rekey_run(run_id=run.pk, max_batches=2)
    assert {crypto.key_id_of(v) for v in values()} == {"n1", "t1"}  # mixed
    now = reveal_all(admin_actor)
    assert {k: now[k] for k in before} == before and now[fresh.pk]["phone"] == "13700000009"


def test_rotation_completes_and_the_old_keys_can_go(settings, old_ring, admin_actor, workers):
    account = PortalAccount.objects.create(
        phone_enc=crypto.encrypt("13700000000", context="phone"),
        phone_hash="h",
        phone_masked="137****0000",
    )
    before = reveal_all(admin_actor)
    stamps = dict(Worker.objects.values_list("pk", "updated_at"))
    rotate(settings, old_ring)
    run = pii_rekey_run(run_id=pii_rekey_start(actor=None, batch_size=2).pk)
    assert run.status == "done" and run.finished_at is not None
    assert run.rewritten["workers.Worker.phone_enc"] == 3
    assert run.rewritten["portal.PortalAccount.phone_enc"] == 1
    assert {crypto.key_id_of(v) for v in values()} == {"n1"}
    assert all(c.to_rekey == 0 and c.unknown == 0 for c in rekey_census())
    assert dict(Worker.objects.values_list("pk", "updated_at")) == stamps  # not an edit
    settings.PII_KEYS = f"n1:{NEW}"  # the old keys retired
    assert reveal_all(admin_actor) == before
    account.refresh_from_db()
    assert crypto.decrypt(account.phone_enc, context="phone") == "13700000000"
    batches = AuditEvent.objects.filter(action="privacy.rekey_batch")
    assert batches.count() == run.batches and run.batches >= 4
    assert {e.after["column"] for e in batches} >= set(WORKER_COLUMNS)
    assert AuditEvent.objects.filter(action="privacy.rekey_done").count() == 1
    assert stored_keys_check(databases=["default"]) == []


def test_an_interrupted_rotation_resumes_where_it_stopped(settings, old_ring, workers):
    rotate(settings, old_ring)
    run = pii_rekey_start(actor=None, batch_size=1)
    pii_rekey_run(run_id=run.pk, max_batches=2)  # the process stops here
    run.refresh_from_db()
    assert run.status == "running" and run.batches == 2
    resumed = pii_rekey_start(actor=None, batch_size=500)
    assert resumed.pk == run.pk and RekeyRun.objects.count() == 1
    assert resumed.checkpoint["workers.Worker.national_id_enc"] == workers[1].pk
    done = pii_rekey_run(run_id=resumed.pk)
    assert done.status == "done"
    assert {c: done.rewritten[c] for c in WORKER_COLUMNS} == dict.fromkeys(WORKER_COLUMNS, 3)
    assert sum(done.skipped.values()) == 0
    assert AuditEvent.objects.filter(action="privacy.rekey_start").count() == 1
    assert pii_rekey_start(actor=None).pk != run.pk  # a finished run is not resumed


def test_a_write_during_rotation_is_not_clobbered(
    settings, old_ring, admin_actor, workers, monkeypatch
):
    rotate(settings, old_ring)
    target = workers[1]
    ring = crypto.keyring()
    reencrypt = ring.reencrypt

    def racing(token: str, *, context: str) -> str | None:
        # A user changes the mobile between the batch's read and its update.
        if token == Worker.objects.get(pk=target.pk).phone_enc and context == "phone":
            worker_update(actor=admin_actor, worker=target, data={"phone": "13911112222"})
        return reencrypt(token, context=context)

    monkeypatch.setattr(ring, "reencrypt", racing)
    run = pii_rekey_run(run_id=pii_rekey_start(actor=None, batch_size=10).pk)
    assert run.status == "done" and run.skipped["workers.Worker.phone_enc"] == 1
    assert run.rewritten["workers.Worker.phone_enc"] == 2
    target = Worker.objects.get(pk=target.pk)
    phone = worker_reveal(actor=admin_actor, worker=target, fields=["phone"], purpose="contact")
    assert phone == {"phone": "13911112222"}
    assert {crypto.key_id_of(v) for v in values()} == {"n1"}


def test_a_missing_key_gives_a_clear_error_at_start_up(settings, workers):
    settings.PII_KEYS = f"n1:{NEW}"  # t1 removed although values still use it
    [error] = [e for e in stored_keys_check(databases=["default"]) if "national_id" in e.msg]
    assert error.id == "privacy.E002" and "PII key 't1'" in error.msg and "pii-rekey" in error.hint
    with pytest.raises(CommandError, match=r"not in GONGYOU_PII_KEYS.*national_id_enc: t1"):
        call_command("pii-rekey", stdout=io.StringIO())
    with pytest.raises(crypto.MissingPiiKey, match="'t1'"):
        crypto.decrypt(workers[0].phone_enc, context="phone")
    settings.PII_KEYS = "k1:short"
    assert [e.id for e in key_ring_check()] == ["privacy.E001"]


def test_a_rotation_whose_primary_changes_fails_clearly(settings, old_ring, workers):
    rotate(settings, old_ring)
    run = pii_rekey_start(actor=None, batch_size=1)
    settings.PII_KEYS = f"n2:{generate_key()},n1:{NEW},{old_ring}"
    with pytest.raises(RekeyNotPossible, match="to key n1 is running"):
        pii_rekey_start(actor=None)
    with pytest.raises(RekeyNotPossible):
        pii_rekey_batch(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "changed from n1 to n2" in run.error
    assert AuditEvent.objects.filter(action="privacy.rekey_failed").count() == 1


def test_the_command(settings, old_ring, workers):
    rotate(settings, old_ring)
    out = io.StringIO()
    call_command("pii-rekey", "--dry-run", stdout=out)
    assert "workers.Worker.phone_enc: 3 values (n1 0, t1 3, t0 0); 3 to re-encrypt" in (
        out.getvalue()
    )
    assert not RekeyRun.objects.exists()
    out = io.StringIO()
    call_command("pii-rekey", "--batch", "2", stdout=out)
    assert "done" in out.getvalue() and RekeyRun.objects.get().status == "done"
    out = io.StringIO()
    call_command("pii-rekey", "--status", stdout=out)
    assert out.getvalue().startswith(f"run {RekeyRun.objects.get().pk} to key n1: done")
    with pytest.raises(CommandError, match="Between 1 and"):
        call_command("pii-rekey", "--batch", "0", stdout=io.StringIO())


def test_the_background_task_finishes_the_run(settings, old_ring, workers):
    rotate(settings, old_ring)
    call_command("pii-rekey", "--background", stdout=io.StringIO())  # immediate backend in tests
    assert RekeyRun.objects.get().status == "done"
