import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.cases.models import Attachment, Case, CaseEvent
from gongyou.cases.services.attachment import attachments_dir
from gongyou.cases.tests.factories import force_status, make_case
from gongyou.core.audit import audit_record
from gongyou.core.errors import PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.imports.models import ImportJob, ImportRowError
from gongyou.imports.services import import_path
from gongyou.portal.models import SignInCode, SignInLock
from gongyou.privacy.enums import RecordClass
from gongyou.privacy.models import RetentionRule
from gongyou.privacy.selectors import retention_plan, retention_rules
from gongyou.privacy.services import (
    legal_hold_place,
    retention_apply,
    retention_rule_update,
)
from gongyou.privacy.tasks import privacy_retention
from gongyou.stations.models import Visit
from gongyou.workers.models import Consent, Worker
from gongyou.workers.services import consent_record

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def withdraw(admin_actor, worker, days_ago: int) -> None:
    consent = consent_record(
        actor=admin_actor, worker=worker, purpose="registry", granted=False, method="paper"
    )
    Consent.objects.filter(pk=consent.pk).update(recorded_at=ago(days_ago))


# --- rules as data --------------------------------------------------------------------------


def test_every_class_has_a_default_rule_marked_as_the_projects_choice():
    rules = retention_rules()
    assert [r.record_class for r in rules] == RecordClass.values
    assert all(r.is_default and r.enabled and "Project's choice" in r.basis for r in rules)


def test_a_rule_is_changed_by_a_system_admin_and_audited(admin_actor, make_user):
    retention_rule_update(
        actor=admin_actor, record_class="anonymous_visit_notes", keep_days="90", enabled=True
    )
    rule = next(r for r in retention_rules() if r.record_class == "anonymous_visit_notes")
    assert rule.keep_days == 90 and not rule.is_default
    event = AuditEvent.objects.get(action="privacy.retention_rule")
    assert event.before == {"keep_days": 365, "enabled": True}
    assert event.after == {"keep_days": 90, "enabled": True}
    with pytest.raises(ValidationFailed) as info:
        retention_rule_update(actor=admin_actor, record_class="x", keep_days="0", enabled=True)
    assert info.value.fields["record_class"]["code"] == "invalid_choice"
    assert info.value.fields["keep_days"]["code"] == "out_of_range"
    with pytest.raises(ValidationFailed) as info:
        retention_rule_update(
            actor=admin_actor, record_class="closed_cases", keep_days="ten", enabled=True
        )
    assert info.value.fields["keep_days"]["code"] == "invalid"
    with pytest.raises(PermissionDenied):
        retention_rule_update(
            actor=actor_for(make_user("org_admin", org="gd")),
            record_class="closed_cases",
            keep_days=10,
            enabled=True,
        )


# --- workers who withdrew consent -----------------------------------------------------------


def test_withdrawn_workers_are_anonymised_after_the_grace_period(admin_actor, worker_factory):
    old, recent, regranted, kept = (worker_factory(name=n) for n in ("甲", "乙", "丙", "丁"))
    withdraw(admin_actor, old, 40)
    withdraw(admin_actor, recent, 10)
    withdraw(admin_actor, regranted, 40)
    consent_record(
        actor=admin_actor, worker=regranted, purpose="registry", granted=True, method="paper"
    )
    [line] = retention_plan(actor=admin_actor, record_class="withdrawn_workers")
    assert line.count == 1 and line.sample == [f"worker {old.pk} (withdrawn {ago(40):%Y-%m-%d})"]
    assert Worker.objects.filter(anonymised_at__isnull=False).count() == 0  # a dry run
    result = retention_apply(record_class="withdrawn_workers")
    assert result.rows == {"anonymised": 1, "blocked": 0, "already": 0}
    assert set(Worker.objects.filter(anonymised_at__isnull=False)) == {old}
    batch = AuditEvent.objects.get(action="privacy.retention")
    assert batch.after["rows"] == {"anonymised": 1, "blocked": 0, "already": 0}
    assert AuditEvent.objects.get(action="worker.anonymise").after["rule"] == "withdrawn_workers"
    assert retention_apply(record_class="withdrawn_workers").rows == {}  # nothing left
    assert {recent.pk, regranted.pk, kept.pk} == set(
        Worker.objects.filter(anonymised_at__isnull=True).values_list("pk", flat=True)
    )


def test_blocked_workers_are_reported_and_skipped(admin_actor, worker_factory):
    held, case_worker, free = (worker_factory(name=n) for n in ("甲", "乙", "丙"))
    for w in (held, case_worker, free):
        withdraw(admin_actor, w, 60)
    legal_hold_place(actor=admin_actor, worker_id=held.pk, reason="police inquiry")
    case = make_case(actor=admin_actor, workers=[case_worker])
    [line] = retention_plan(actor=admin_actor, record_class="withdrawn_workers")
    assert line.count == 3
    assert line.blocked == {"legal hold: police inquiry": 1, f"open case {case.reference}": 1}
    result = retention_apply(record_class="withdrawn_workers", batch_size=2)
    assert result.rows == {"anonymised": 1, "blocked": 2, "already": 0} and result.batches == 2
    assert result.blocked == {
        held.pk: ["legal hold: police inquiry"],
        case_worker.pk: [f"open case {case.reference}"],
    }
    assert Worker.objects.get(pk=free.pk).anonymised_at is not None


# --- anonymous visits' notes ----------------------------------------------------------------


def test_notes_of_old_anonymous_visits_are_emptied_in_batches(station_factory, worker_factory):
    station = station_factory()
    old = [
        Visit.objects.create(station=station, service="rest", note=f"n{i}", at=ago(400))
        for i in range(3)
    ]
    recent = Visit.objects.create(station=station, service="rest", note="new", at=ago(10))
    known = Visit.objects.create(
        station=station, service="rest", note="keep", at=ago(400), worker=worker_factory()
    )
    result = retention_apply(record_class="anonymous_visit_notes", batch_size=2)
    assert result.batches == 2 and result.rows == {"stations.Visit.note": 3}
    assert all(Visit.objects.get(pk=v.pk).note == "" for v in old)
    assert Visit.objects.get(pk=recent.pk).note == "new"
    assert Visit.objects.get(pk=known.pk).note == "keep"
    assert AuditEvent.objects.filter(action="privacy.retention").count() == 2


def test_max_batches_stops_early_and_the_next_run_continues(station_factory):
    station = station_factory()
    for i in range(3):
        Visit.objects.create(station=station, service="rest", note=f"n{i}", at=ago(400))
    first = retention_apply(record_class="anonymous_visit_notes", batch_size=1, max_batches=1)
    assert not first.done and Visit.objects.exclude(note="").count() == 2
    retention_apply(record_class="anonymous_visit_notes", batch_size=1)
    assert Visit.objects.exclude(note="").count() == 0


def test_a_disabled_rule_does_nothing(admin_actor, station_factory):
    visit = Visit.objects.create(station=station_factory(), service="rest", note="n", at=ago(4000))
    retention_rule_update(
        actor=admin_actor, record_class="anonymous_visit_notes", keep_days=365, enabled=False
    )
    assert retention_apply(record_class="anonymous_visit_notes").rows == {}
    assert Visit.objects.get(pk=visit.pk).note == "n"
    assert [line.rule.record_class for line in retention_plan(actor=admin_actor)] == [
        c for c in RecordClass.values if c != "anonymous_visit_notes"
    ]


# --- closed cases ---------------------------------------------------------------------------


def test_closed_cases_lose_free_text_and_evidence_after_the_period(
    admin_actor, worker_factory, django_capture_on_commit_callbacks
):
    worker = worker_factory()
    old = make_case(actor=admin_actor, workers=[worker], description="老板姓王，电话138")
    recent = make_case(actor=admin_actor, workers=[worker], description="recent")
    open_case = make_case(actor=admin_actor, workers=[worker], description="open")
    for case in (old, recent):
        force_status(case, "closed")
    CaseEvent.objects.create(case=old, kind="transition", to_status="closed", reason="王说的")
    CaseEvent.objects.filter(case=old).update(at=ago(6 * 365))
    Case.objects.filter(pk__in=[old.pk, open_case.pk]).update(updated_at=ago(6 * 365))
    CaseEvent.objects.create(case=recent, kind="transition", to_status="closed", reason="r")
    path = attachments_dir() / "retention-test.pdf"
    path.write_bytes(b"%PDF-1.4")
    Attachment.objects.create(
        case=old,
        kind="labour_contract",
        original_name="合同.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        storage_name=path.name,
    )
    [line] = retention_plan(actor=admin_actor, record_class="closed_cases")
    assert line.count == 1 and line.sample[0].startswith(f"case {old.reference}")
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_apply(record_class="closed_cases")
    assert result.rows["cases.Attachment"] == 1 and not path.exists()
    old.refresh_from_db()
    assert old.description == "" and old.summary and old.status == "closed"
    assert not CaseEvent.objects.filter(case=old).exclude(reason="").exists()
    assert Case.objects.get(pk=recent.pk).description == "recent"
    assert Case.objects.get(pk=open_case.pk).description == "open"
    assert retention_apply(record_class="closed_cases").rows == {}


# --- sign-in codes --------------------------------------------------------------------------


def test_old_sign_in_codes_and_locks_are_deleted():
    def code(days: int) -> SignInCode:
        return SignInCode.objects.create(
            phone_hash="h",
            phone_enc="e",
            code_hash="c",
            salt="s",
            created_at=ago(days),
            expires_at=ago(days) + dt.timedelta(minutes=5),
        )

    old, new = code(45), code(1)
    SignInLock.objects.create(phone_hash="h", locked_at=ago(50), locked_until=ago(49), failures=5)
    live = SignInLock.objects.create(
        phone_hash="h", locked_at=ago(0), locked_until=NOW + dt.timedelta(minutes=30), failures=5
    )
    [line] = retention_plan(actor=None, record_class="sign_in_codes")
    assert (line.count, line.extra) == (1, 1)
    result = retention_apply(record_class="sign_in_codes")
    assert result.rows == {"portal.SignInCode": 1, "portal.SignInLock": 1}
    assert list(SignInCode.objects.all()) == [new] and not SignInCode.objects.filter(pk=old.pk)
    assert list(SignInLock.objects.all()) == [live]


# --- import files ---------------------------------------------------------------------------


def test_old_import_files_and_error_reports_are_deleted(
    admin, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.IMPORTS_DIR = tmp_path

    def job(status: str, days: int, name: str) -> ImportJob:
        made = ImportJob.objects.create(
            kind="workers",
            status=status,
            original_name="工人.csv",
            storage_name=name,
            file_format="csv",
            sha256="0" * 64,
            created_by=admin,
            finished_at=ago(days) if status != "running" else None,
        )
        import_path(made).write_text("姓名,身份证号\n张三,110105199001010011\n")
        ImportRowError.objects.create(job=made, row=2, column="身份证号", value="1101", code="x")
        return made

    old, recent, running = job("completed", 100, "a"), job("failed", 5, "b"), job("running", 0, "c")
    ImportJob.objects.filter(pk=running.pk).update(created_at=ago(200))
    [line] = retention_plan(actor=None, record_class="import_files")
    assert line.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_apply(record_class="import_files")
    assert result.rows == {"imports.file": 1, "imports.ImportRowError": 1}
    assert not import_path(old).exists() and ImportJob.objects.filter(pk=old.pk).exists()
    assert import_path(recent).exists() and import_path(running).exists()
    assert ImportRowError.objects.filter(job__in=[recent, running]).count() == 2
    [line] = retention_plan(actor=None, record_class="import_files")
    assert line.count == 0


# --- personal values inside audit rows ------------------------------------------------------


def test_old_audit_rows_keep_the_fact_but_lose_the_values(admin_actor):
    def event(days: int, name: str) -> AuditEvent:
        row = audit_record(
            actor=admin_actor.user,
            action="worker.update",
            entity_type="workers.worker",
            entity_id="1",
            before={"name": name, "education": "primary"},
            after={"name": name + "2", "education": "bachelor"},
        )
        AuditEvent.objects.filter(pk=row.pk).update(at=ago(days))
        return row

    old, recent = event(11 * 365, "张三"), event(30, "李四")
    result = retention_apply(record_class="audit_personal_values")
    assert result.rows == {"core.AuditEvent": 1}
    old.refresh_from_db()
    assert old.before == {"name": "[redacted]", "education": "primary"}
    assert old.after == {"name": "[redacted]", "education": "bachelor"}
    assert AuditEvent.objects.get(pk=recent.pk).before["name"] == "李四"
    state = RetentionRule.objects.get(record_class="audit_personal_values").state
    assert state["last_id"] == old.pk  # the checkpoint: the next run starts after it
    assert retention_apply(record_class="audit_personal_values").rows == {}


# --- the daily task and the command ---------------------------------------------------------


def test_the_daily_task_applies_every_rule(station_factory):
    visit = Visit.objects.create(station=station_factory(), service="rest", note="n", at=ago(400))
    result = privacy_retention.enqueue()
    assert result.return_value["anonymous_visit_notes"]["rows"] == {"stations.Visit.note": 1}
    assert set(result.return_value) == set(RecordClass.values)
    assert Visit.objects.get(pk=visit.pk).note == ""


def test_the_command_dry_run_changes_nothing(station_factory):
    visit = Visit.objects.create(station=station_factory(), service="rest", note="n", at=ago(400))
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "anonymous_visit_notes: 1" in out.getvalue() and f"visit {visit.pk}" in out.getvalue()
    assert Visit.objects.get(pk=visit.pk).note == "n"
    out = io.StringIO()
    call_command("retention", "--rule", "anonymous_visit_notes", stdout=out)
    assert "stations.Visit.note 1" in out.getvalue()
    assert Visit.objects.get(pk=visit.pk).note == ""
